import { join, relative } from 'node:path';
import { AppConfig } from '@tracker/config';
import { startBroker } from '@tracker/kafka-broker';
import type { Logger } from 'pino';
import { SERVICE_SASL_MECHANISM, ServiceCredentials, trackerKafkaSecurity } from './kafka-security';
import { startEmbeddedPostgres } from './postgres-server';
import { PortTakenError, portFix } from './ports';
import { startRedisServer } from './redis-server';
import { PortSetting } from './settings';
import { Stack } from './stack';

/** What the launcher needs to start the infrastructure the environment does not point at. */
export interface InfrastructureContext {
  readonly checkout: string;
  /** The launcher's data folder (`.data` or `TRACKER_DATA_DIR`). */
  readonly dataRoot: string;
  readonly stack: Stack;
  readonly logger: Logger;
  readonly log: (line: string) => void;
}

/** One line for the banner: where it is and what it is. */
export type Where = string;

const shown = (context: InfrastructureContext, path: string) => {
  const inside = relative(context.checkout, path);
  return inside.startsWith('..') ? path : inside;
};

/**
 * The embedded broker, in the launcher's own process, with SASL on and the tracker's ACLs
 * (kafka-security.ts): the parties of `AUTH_TOKENS` (as `config` parsed them) and each service
 * (`services`) log in as themselves, and the services are told the mechanism. The default port
 * 9092 is given up for a free one only when something else holds it (EADDRINUSE); any other failure, or a taken port
 * that `KAFKA_PORT` asked for, stops the start.
 */
export async function provideKafka(
  env: NodeJS.ProcessEnv,
  setting: PortSetting,
  config: Pick<AppConfig, 'authTokens' | 'kafka'>,
  services: ServiceCredentials,
  context: InfrastructureContext,
): Promise<Where> {
  if (env.KAFKA_BROKERS) return `${env.KAFKA_BROKERS} (KAFKA_BROKERS)`;
  const dataDir = join(context.dataRoot, 'kafka');
  const security = trackerKafkaSecurity(config.authTokens ?? new Map(), services, config.kafka);
  const options = { dataDir, security, logger: context.logger.child({ name: 'kafka' }) };
  const broker = await startBroker({ ...options, port: setting.port }).catch(
    async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
      if (setting.explicit) throw new PortTakenError([await portFix(setting, 'in use')]);
      context.log(`port ${setting.port} is taken; the embedded broker takes a free port instead`);
      return startBroker({ ...options, port: 0 });
    },
  );
  context.stack.addInProcess('kafka', () => broker.stop());
  env.KAFKA_BROKERS = broker.brokers.join(',');
  env.KAFKA_SASL_MECHANISM = SERVICE_SASL_MECHANISM;
  return `${env.KAFKA_BROKERS} (embedded broker, SASL and ACLs on, data in ${shown(context, dataDir)})`;
}

/** A private redis-server with its append-only file in `.data/redis`. */
export async function provideRedis(
  env: NodeJS.ProcessEnv,
  port: number,
  context: InfrastructureContext,
): Promise<Where> {
  if (env.REDIS_URL) return `${env.REDIS_URL} (REDIS_URL)`;
  const dataDir = join(context.dataRoot, 'redis');
  const redis = await startRedisServer(dataDir, port, (child) => context.stack.trackChild(child));
  env.REDIS_URL = redis.url;
  return `${redis.url} (private redis-server, append-only file in ${shown(context, dataDir)})`;
}

/** The embedded Postgres; its data lives where postgres-layout.ts decides. */
export async function providePostgres(
  env: NodeJS.ProcessEnv,
  port: number,
  context: InfrastructureContext,
): Promise<Where> {
  if (env.DATABASE_URL) return `${env.DATABASE_URL} (DATABASE_URL)`;
  const postgres = await startEmbeddedPostgres({
    checkout: context.checkout,
    dataRoot: context.dataRoot,
    port,
    log: context.log,
    // SIGINT is Postgres's fast shutdown: it does not wait for clients to disconnect.
    track: (child) => context.stack.trackChild(child, 'SIGINT'),
  });
  env.DATABASE_URL = postgres.url;
  return `${postgres.url} (embedded Postgres, data in ${shown(context, postgres.dataDir)})`;
}

import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError, loadConfig, SERVICE_PORTS, ServiceName } from '@tracker/config';
import { startBroker } from '@tracker/kafka-broker';
import { waitFor } from '@tracker/runtime';
import pino from 'pino';
import { ChildService } from './child-service';
import { RedisNotInstalledError, startRedisChild } from './redis-child';

/**
 * `npm start`: the whole system on one machine. What the environment leaves unset is started
 * here (DESIGN.md §7): the embedded Kafka broker for `KAFKA_BROKERS`, a private redis-server for
 * `REDIS_URL`, an embedded Postgres for `DATABASE_URL`, a generated admin token for `AUTH_TOKENS`; then the five services.
 */
const root = join(__dirname, '..', '..');
const dataDir = join(root, '.data');
const services = Object.keys(SERVICE_PORTS) as ServiceName[];
const stops: { name: string; stop: () => Promise<void> }[] = [];
const serviceChildren: ChildService[] = [];
const logger = pino({ name: 'start', level: process.env.LOG_LEVEL ?? 'info' });

async function startKafka(env: NodeJS.ProcessEnv): Promise<string> {
  if (env.KAFKA_BROKERS) return `${env.KAFKA_BROKERS} (KAFKA_BROKERS)`;
  const options = { dataDir: join(dataDir, 'kafka'), logger: logger.child({ name: 'kafka' }) };
  const broker = await startBroker({ ...options, port: 9092 }).catch(() =>
    startBroker({ ...options, port: 0 }),
  );
  stops.push({ name: 'kafka', stop: () => broker.stop() });
  env.KAFKA_BROKERS = broker.brokers.join(',');
  return `${env.KAFKA_BROKERS} (embedded broker, data in ${options.dataDir})`;
}

async function startRedis(env: NodeJS.ProcessEnv): Promise<string> {
  if (env.REDIS_URL) return `${env.REDIS_URL} (REDIS_URL)`;
  const redis = await startRedisChild(join(dataDir, 'redis'));
  stops.push({ name: 'redis', stop: () => redis.child.stop() });
  env.REDIS_URL = redis.url;
  return `${redis.url} (private redis-server, nothing kept on disk)`;
}

async function startPostgres(env: NodeJS.ProcessEnv): Promise<string> {
  if (env.DATABASE_URL) return `${env.DATABASE_URL} (DATABASE_URL)`;
  const dir = join(dataDir, 'postgres');
  const main = join(__dirname, 'postgres-main.ts');
  const child = ChildService.start(
    'postgres',
    process.execPath,
    ['-r', '@swc-node/register', main, dir],
    process.env,
  );
  stops.push({ name: 'postgres', stop: () => child.stop(15_000) });
  const { url } = JSON.parse(await child.readFirstLine()) as { url: string };
  env.DATABASE_URL = url;
  return `${url} (embedded Postgres, data in ${dir})`;
}

function authToken(env: NodeJS.ProcessEnv): string | undefined {
  if (env.AUTH_TOKENS) return undefined;
  const token = randomBytes(18).toString('base64url');
  env.AUTH_TOKENS = `${token}=admin`;
  return token;
}

async function startServices(env: NodeJS.ProcessEnv): Promise<ChildService[]> {
  const children = services.map((service) => {
    const main = join(root, 'apps', service, 'src', 'main.ts');
    const child = ChildService.start(
      service,
      process.execPath,
      ['-r', '@swc-node/register', main],
      env,
    );
    stops.push({ name: service, stop: () => child.stop() });
    return child;
  });
  await Promise.all(
    services.map((service) =>
      waitFor(
        `${service} to be ready`,
        () => answers200(`http://127.0.0.1:${SERVICE_PORTS[service]}/health/ready`),
        { timeoutMs: 60_000, intervalMs: 100 },
      ),
    ),
  );
  return children;
}

/** True when `url` answers 200. */
async function answers200(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Services first, all at once; then the infrastructure, newest first. */
async function stopAll(): Promise<void> {
  serviceChildren.forEach((child) => child.terminate());
  await Promise.all(serviceChildren.map((child) => child.stop()));
  for (const { name, stop } of stops.reverse()) {
    await stop().catch((error: unknown) => logger.error({ err: error }, `stopping ${name} failed`));
  }
}

async function main(): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: undefined };
  const token = authToken(env);
  loadConfig('gateway', env);
  const kafka = await startKafka(env);
  const redis = await startRedis(env);
  const postgres = await startPostgres(env);
  const children = await startServices(env);
  const lines = [
    'The tracker is up:',
    ...services.map(
      (service) => `  ${service.padEnd(20)} http://localhost:${SERVICE_PORTS[service]}`,
    ),
    `  ${'kafka'.padEnd(20)} ${kafka}`,
    `  ${'redis'.padEnd(20)} ${redis}`,
    `  ${'postgres'.padEnd(20)} ${postgres}`,
    token ? `  ${'admin token'.padEnd(20)} ${token}   (AUTH_TOKENS was unset)` : '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.filter(Boolean).join('\n'));
  const crashed = await Promise.race(
    children.map((child) => child.whenExited().then(() => child.name)),
  );
  throw new Error(`${crashed} stopped unexpectedly`);
}

let stopping = false;

function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  void stopAll().finally(() => process.exit(code));
}

process.once('SIGINT', () => shutdown(0));
process.once('SIGTERM', () => shutdown(0));
main().catch((error: unknown) => {
  if (stopping) return;
  const known = error instanceof ConfigError || error instanceof RedisNotInstalledError;
  console.error(known ? `start: ${error.message}` : error);
  shutdown(1);
});

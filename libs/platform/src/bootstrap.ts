import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigError, loadConfig, ServiceName } from '@tracker/config';
import { configureMaxClockSkew } from '@tracker/contracts';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { WrittenExpressAdapter } from '@tracker/http';
import { FrameworkQuietLogger } from './framework-logger';
import { securityHeaders } from './security-headers';

/** Builds a service's root module from its configuration. */
export type RootModuleFactory = (config: AppConfig) => DynamicModule;

/**
 * What a service does to its application before it serves: Express-level middleware that must run
 * before Nest's routing (the gateway's forwarding), documents (`/docs`).
 */
export type PrepareApp = (app: INestApplication, config: AppConfig) => void | Promise<void>;

/** Creates (without listening) the Nest application of a service; used by `main.ts` and tests. */
export async function createService(
  factory: RootModuleFactory,
  config: AppConfig,
  prepare?: PrepareApp,
): Promise<INestApplication> {
  // Request bodies refuse times further ahead than MAX_CLOCK_SKEW (see notAheadOfClock).
  configureMaxClockSkew(config.maxClockSkewMs);
  // Bodies are parsed by the HTTP edge's own middleware, whose errors reach the problem filter.
  // The adapter answers a write's `Written` result with its status (libs/http written-reply.ts).
  const app = await NestFactory.create<NestExpressApplication>(
    factory(config),
    new WrittenExpressAdapter(),
    {
      bufferLogs: true,
      bodyParser: false,
      abortOnError: false,
    },
  );
  app.useLogger(new FrameworkQuietLogger(app.get(Logger)));
  app.disable('x-powered-by');
  // The client address a request is counted under (failed-authentication limit): the peer, or
  // what X-Forwarded-For says when the peer is a trusted proxy, such as the gateway on loopback.
  app.set('trust proxy', config.trustedProxies.length > 0 ? config.trustedProxies : false);
  // helmet's headers, computed once (security-headers.ts). Content-Security-Policy is set per page
  // instead (libs/http content-security.ts): the dashboard's and the Swagger UI's differ, and
  // JSON answers need none.
  app.use(securityHeaders());
  app.enableShutdownHooks();
  await prepare?.(app, config);
  return app;
}

/**
 * Entry point of every service: parse the configuration (refusing to start, with one line naming
 * the bad variable, when it is wrong), then serve HTTP on the configured host and port.
 */
export async function runService(
  service: ServiceName,
  factory: RootModuleFactory,
  prepare?: PrepareApp,
): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(service);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${service}: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }
  const app = await createService(factory, config, prepare);
  // HOST, else all interfaces for the gateway and loopback for the services behind it.
  if (config.host === undefined) await app.listen(config.port);
  else await app.listen(config.port, config.host);
}

import { DynamicModule, Inject, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { AppConfig } from '@tracker/config';
import { LoggerModule } from 'nestjs-pino';
import pino, { Level, Logger } from 'pino';

const REQUEST_ID = /^[\x21-\x7E]{1,128}$/;

const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');

/** The level a finished request is logged at: failures error, refusals info, the rest debug. */
export function requestLogLevel(statusCode: number, aborted: boolean): Level {
  if (aborted || statusCode >= 500) return 'error';
  return statusCode >= 400 ? 'info' : 'debug';
}

/** The caller's `X-Request-Id` when well-formed, else a new UUID. */
export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

type IdentifiedRequest = IncomingMessage & { id?: string; originalUrl?: string };

/**
 * Gives each request its id (`request.id`, echoed as `X-Request-Id`) and logs it once answered,
 * at {@link requestLogLevel} and only when that level is enabled. No headers are logged, so the
 * Authorization header never reaches a log. Probes are not logged.
 */
export function requestLogging(logger: Logger) {
  return (request: IdentifiedRequest, response: ServerResponse, next: () => void): void => {
    const id = requestIdOf(request.headers['x-request-id']);
    request.id = id;
    response.setHeader('X-Request-Id', id);
    const url = request.originalUrl ?? request.url ?? '';
    if (url.startsWith('/health')) {
      next();
      return;
    }
    const started = performance.now();
    response.once('close', () => {
      const level = requestLogLevel(response.statusCode, !response.writableFinished);
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          req: { id, method: request.method, url },
          res: { statusCode: response.statusCode },
          responseTime: Math.round(performance.now() - started),
        },
        response.writableFinished ? 'request completed' : 'request aborted',
      );
    });
    next();
  };
}

/**
 * Structured JSON logs (pino) tagged with the service name, through nestjs-pino's `PinoLogger`
 * and `Logger` (Nest's own logger). Each request carries a request id (the caller's
 * `X-Request-Id` when well-formed, else a new UUID), echoed in the response; successful requests
 * log at debug, refusals at info, failures at error, probes not at all.
 *
 * The request log is ours ({@link requestLogging}) rather than pino-http through nestjs-pino's
 * middleware: that one built two child loggers per request and ran every request inside an
 * AsyncLocalStorage, which taxes each promise the request creates afterwards (about a tenth of
 * pledge-service's CPU under `bench:ingest`), for a per-request logger nothing here uses.
 */
@Module({})
export class LoggingModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    const logger = pino({ level: config.logLevel, name: config.service });
    return {
      module: LoggingModule,
      imports: [
        // `useExisting` with no routes: nestjs-pino's loggers write to `logger`, and it applies
        // no middleware of its own.
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true, forRoutes: [] }),
      ],
      providers: [{ provide: REQUEST_LOGGER, useValue: logger }],
    };
  }

  constructor(@Inject(REQUEST_LOGGER) private readonly logger: Logger) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestLogging(this.logger)).forRoutes('*path');
  }
}

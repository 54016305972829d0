import { DynamicModule, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@tracker/config';
import { LoggerModule } from 'nestjs-pino';

const REQUEST_ID = /^[\x21-\x7E]{1,128}$/;

/**
 * Structured JSON logs (pino) tagged with the service name; probes are not logged. Each request
 * carries a request id (the caller's `X-Request-Id` when well-formed, else a new UUID), echoed in
 * the response; the Authorization header is never written to a log. Successful requests log
 * at debug, refusals at info, failures at error.
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            name: config.service,
            autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
            // Successful requests at debug: under load (the demo, a benchmark) one line per
            // request would drown everything else; refusals and failures stay visible.
            customLogLevel: (_request, response, error) =>
              error !== undefined || response.statusCode >= 500
                ? 'error'
                : response.statusCode >= 400
                  ? 'info'
                  : 'debug',
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie'],
              censor: '[redacted]',
            },
            genReqId: (request, response) => {
              const given = request.headers['x-request-id'];
              const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
              response.setHeader('X-Request-Id', id);
              return id;
            },
          },
        }),
      ],
    };
  }
}

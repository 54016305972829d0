import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@tracker/config';
import { LoggerModule } from 'nestjs-pino';

/** Structured JSON logs (pino) tagged with the service name; probes are not logged. */
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
          },
        }),
      ],
    };
  }
}

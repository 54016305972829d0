import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@tracker/config';
import { DatabaseModule, PostgresReadiness, HealthModule, LoggingModule } from '@tracker/platform';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule.forRoot({ migrations: [] }),
        HealthModule.forRoot([PostgresReadiness]),
      ],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@tracker/config';
import { HealthModule, LoggingModule } from '@tracker/platform';
import { RedisModule, RedisReadiness } from '@tracker/redis';
import { LiveModule } from './live/live.module';
import { ReadModelModule } from './read-model/read-model.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        RedisModule.forRoot(),
        HealthModule.forRoot([RedisReadiness]),
        ReadModelModule,
        LiveModule,
      ],
    };
  }
}

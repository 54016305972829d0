import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@tracker/config';
import { KafkaModule } from '@tracker/kafka';
import { HealthModule, LoggingModule } from '@tracker/platform';
import { RedisModule, RedisReadiness } from '@tracker/redis';
import { ProjectionModule, ProjectionReadiness } from './projection.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        RedisModule.forRoot(),
        KafkaModule.forRoot(),
        ProjectionModule,
        HealthModule.forRoot([RedisReadiness, ProjectionReadiness]),
      ],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@tracker/config';
import { HttpEdgeModule } from '@tracker/http';
import { KafkaModule } from '@tracker/kafka';
import { OutboxModule, outboxMigrations } from '@tracker/outbox';
import {
  DatabaseModule,
  HealthModule,
  LoggingModule,
  MetricsModule,
  PostgresReadiness,
} from '@tracker/platform';
import { AllocationsModule } from './allocations/allocations.module';
import { CapacityModule } from './capacity/capacity.module';
import { LotsModule } from './lots/lots.module';
import { Production1733000000200 } from './migrations/1733000000200-production';
import { PledgesViewModule } from './pledges-view/pledges-view.module';
import { StockpilesModule } from './stockpiles/stockpiles.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        MetricsModule,
        DatabaseModule.forRoot({ migrations: [...outboxMigrations, Production1733000000200] }),
        KafkaModule.forRoot(),
        OutboxModule.forRoot(),
        HttpEdgeModule.forRoot(),
        HealthModule.forRoot([PostgresReadiness]),
        CapacityModule,
        LotsModule,
        AllocationsModule,
        StockpilesModule,
        PledgesViewModule,
      ],
    };
  }
}

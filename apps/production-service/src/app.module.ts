import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@tracker/config';
import { HttpEdgeModule, serveOpenApi } from '@tracker/http';
import { KafkaConsumersReadiness, KafkaModule } from '@tracker/kafka';
import { OutboxModule, outboxMigrations } from '@tracker/outbox';
import {
  DatabaseModule,
  HealthModule,
  LoggingModule,
  MetricsModule,
  PostgresReadiness,
  PrepareApp,
} from '@tracker/platform';
import { AllocationsModule } from './allocations/allocations.module';
import { CapacityModule } from './capacity/capacity.module';
import { LotsModule } from './lots/lots.module';
import { Production1733000000200 } from './migrations/1733000000200-production';
import { PledgesViewRecipient1733000000201 } from './migrations/1733000000201-pledges-view-recipient';
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
        DatabaseModule.forRoot({
          migrations: [
            ...outboxMigrations,
            Production1733000000200,
            PledgesViewRecipient1733000000201,
          ],
        }),
        KafkaModule.forRoot(),
        OutboxModule.forRoot(),
        HttpEdgeModule.forRoot(),
        HealthModule.forRoot([PostgresReadiness, KafkaConsumersReadiness]),
        CapacityModule,
        LotsModule,
        AllocationsModule,
        StockpilesModule,
        PledgesViewModule,
      ],
    };
  }
}

/** Serves the OpenAPI document of production-service's routes at `/docs`. */
export const prepareProductionService: PrepareApp = (app) => {
  serveOpenApi(
    app,
    'production-service',
    'Capacity, lots and QA, allocations of lots to pledges, stockpile levels (DESIGN.md §4).',
  );
};

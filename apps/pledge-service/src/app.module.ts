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
import { Pledges1733000000100 } from './migrations/1733000000100-pledges';
import { BigintQuantities1733000000101 } from './migrations/1733000000101-bigint-quantities';
import { Programmes1733000000102 } from './migrations/1733000000102-programmes';
import { BenchNoopModule } from './pledges/bench-noop.controller';
import { PledgesModule } from './pledges/pledges.module';
import { ProgrammesModule } from './programmes/programmes.module';
import { ShipmentsViewModule } from './shipments-view/shipments-view.module';

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
            Pledges1733000000100,
            BigintQuantities1733000000101,
            Programmes1733000000102,
          ],
        }),
        KafkaModule.forRoot(),
        OutboxModule.forRoot(),
        HttpEdgeModule.forRoot(),
        HealthModule.forRoot([PostgresReadiness, KafkaConsumersReadiness]),
        PledgesModule,
        ProgrammesModule,
        ShipmentsViewModule,
        ...(config.benchNoopWrite ? [BenchNoopModule] : []),
      ],
    };
  }
}

/** Serves the OpenAPI document of pledge-service's routes at `/docs`. */
export const preparePledgeService: PrepareApp = (app) => {
  serveOpenApi(
    app,
    'pledge-service',
    'Pledges: announce, amend, cancel, read (DESIGN.md §4); aid programmes: declare, read.',
  );
};

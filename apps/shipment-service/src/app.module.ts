import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@tracker/config';
import { HttpEdgeModule, serveOpenApi } from '@tracker/http';
import { KafkaConsumersReadiness, KafkaModule, RetryPolicy } from '@tracker/kafka';
import { OutboxModule, outboxMigrations } from '@tracker/outbox';
import {
  DatabaseModule,
  HealthModule,
  LoggingModule,
  MetricsModule,
  PostgresReadiness,
  PrepareApp,
} from '@tracker/platform';
import { EpcisCaptureOptions } from './epcis/epcis-capture.options';
import { EpcisModule } from './epcis/epcis.module';
import { InboundModule } from './inbound/inbound.module';
import { Shipments1733000000300 } from './migrations/1733000000300-shipments';
import { BigintQuantities1733000000301 } from './migrations/1733000000301-bigint-quantities';
import { Parties1733000000310 } from './migrations/1733000000310-parties';
import { EpcisCaptures1733000000320 } from './migrations/1733000000320-epcis-captures';
import { Milestones1733000000330 } from './migrations/1733000000330-milestones';
import { PledgesViewModule } from './pledges-view/pledges-view.module';
import { ShipmentsModule } from './shipments/shipments.module';

/** What a caller (a test) may change of the service beyond its configuration. */
export interface ShipmentServiceOptions {
  /** How long an inbound event for a pledge not known yet is retried before it dead-letters. */
  readonly inboundRetry?: RetryPolicy;
  /** How the EPCIS capture worker runs (shorter waits, or no worker at all). */
  readonly epcis?: Partial<EpcisCaptureOptions>;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: ShipmentServiceOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        MetricsModule,
        DatabaseModule.forRoot({
          migrations: [
            ...outboxMigrations,
            Shipments1733000000300,
            BigintQuantities1733000000301,
            Parties1733000000310,
            EpcisCaptures1733000000320,
            Milestones1733000000330,
          ],
        }),
        KafkaModule.forRoot(),
        OutboxModule.forRoot(),
        HttpEdgeModule.forRoot(),
        HealthModule.forRoot([PostgresReadiness, KafkaConsumersReadiness]),
        PledgesViewModule,
        ShipmentsModule,
        InboundModule.forRoot(options.inboundRetry),
        EpcisModule.forRoot(options.epcis),
      ],
    };
  }
}

/** Serves the OpenAPI document of shipment-service's routes at `/docs` (the gateway merges it). */
export const prepareShipmentService: PrepareApp = (app) => {
  serveOpenApi(
    app,
    'shipment-service',
    'Shipments: dispatch, milestones, delivery receipts, losses, read (DESIGN.md §4); EPCIS 2.0 capture.',
  );
};

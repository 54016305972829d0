import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@tracker/config';
import { HttpEdgeModule, serveOpenApi } from '@tracker/http';
import { KafkaConsumersReadiness, KafkaModule } from '@tracker/kafka';
import {
  DatabaseModule,
  HealthModule,
  LoggingModule,
  MetricsModule,
  PostgresReadiness,
  PrepareApp,
} from '@tracker/platform';
import { EventsModule } from './events/events.module';
import { Webhooks1733000000500 } from './migrations/1733000000500-webhooks';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        MetricsModule,
        DatabaseModule.forRoot({ migrations: [Webhooks1733000000500] }),
        KafkaModule.forRoot(),
        HttpEdgeModule.forRoot(),
        HealthModule.forRoot([PostgresReadiness, KafkaConsumersReadiness]),
        SubscriptionsModule,
        EventsModule,
      ],
    };
  }
}

/** Serves the OpenAPI document of webhook-service's routes at `/docs`. */
export const prepareWebhookService: PrepareApp = (app) => {
  serveOpenApi(
    app,
    'webhook-service',
    'Webhooks: subscriptions, signed CloudEvent deliveries (apps/webhook-service/README.md).',
  );
};

import { Module } from '@nestjs/common';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryWorker } from './delivery.worker';
import { WebhookSender } from './webhook-sender';

@Module({
  imports: [EndpointsModule],
  providers: [DeliveryRepository, DeliveryWorker, DeliveryMetrics, WebhookSender],
  exports: [DeliveryRepository, DeliveryWorker],
})
export class DeliveriesModule {}

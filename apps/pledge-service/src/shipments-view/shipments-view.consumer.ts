import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { TOPICS } from '@tracker/contracts';
import { KafkaConsumers } from '@tracker/kafka';
import { ShipmentsViewService } from './shipments-view.service';

/** Feeds the shipments view from tracker.shipments.v1, from the beginning of the topic. */
@Injectable()
export class ShipmentsViewConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: KafkaConsumers,
    private readonly service: ShipmentsViewService,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.consumeEvents(
      'shipments-view',
      TOPICS.shipments,
      (event) => this.service.apply(event),
      { applyAll: (events) => this.service.applyAll(events) },
    );
  }
}

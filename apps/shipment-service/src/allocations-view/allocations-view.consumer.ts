import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { TOPICS } from '@tracker/contracts';
import { KafkaConsumers } from '@tracker/kafka';
import { AllocationsViewService } from './allocations-view.service';

/** Feeds the lots and allocations view from tracker.production.v1, from its beginning. */
@Injectable()
export class AllocationsViewConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: KafkaConsumers,
    private readonly service: AllocationsViewService,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.consumeEvents(
      'allocations-view',
      TOPICS.production,
      (event) => this.service.apply(event),
      { applyAll: (events) => this.service.applyAll(events) },
    );
  }
}

import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { TOPICS } from '@tracker/contracts';
import { KafkaConsumers } from '@tracker/kafka';
import { PledgesViewService } from './pledges-view.service';

/** Feeds the pledges view from tracker.pledges.v1, from the beginning of the topic. */
@Injectable()
export class PledgesViewConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: KafkaConsumers,
    private readonly service: PledgesViewService,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.consumeEvents(
      'pledges-view',
      TOPICS.pledges,
      (event) => this.service.apply(event),
      { applyAll: (events) => this.service.applyAll(events) },
    );
  }
}

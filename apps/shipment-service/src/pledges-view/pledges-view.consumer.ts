import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { TOPICS, TrackerEvent } from '@tracker/contracts';
import { KafkaConsumers } from '@tracker/kafka';
import { isPledgeEvent, PledgeEvent, PledgesViewService } from './pledges-view.service';

/** The event as the pledge event the contract says it is (parsing guarantees it). */
function pledgeEvent(event: TrackerEvent): PledgeEvent {
  if (!isPledgeEvent(event))
    throw new Error(`parse let ${event.type} through on ${TOPICS.pledges}`);
  return event;
}

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
      (event) => this.service.apply(pledgeEvent(event)),
      { applyAll: (events) => this.service.applyAll(events.map(pledgeEvent)) },
    );
  }
}

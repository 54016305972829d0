import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { ContractViolationError, parseMessage, TOPICS } from '@tracker/contracts';
import { KafkaConsumers } from '@tracker/kafka';
import { isPledgeEvent, PledgesViewService } from './pledges-view.service';

/** Feeds the pledges view from tracker.pledges.v1, from the beginning of the topic. */
@Injectable()
export class PledgesViewConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly consumers: KafkaConsumers,
    private readonly service: PledgesViewService,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.start({
      groupId: `${this.config.kafka.groupPrefix}.shipment-service.pledges-view`,
      topics: [TOPICS.pledges],
      fromBeginning: true,
      handle: async ({ topic, message }) => {
        const parsed = parseMessage(TOPICS.pledges, message);
        if (!parsed.ok) throw new ContractViolationError({ ...parsed.error, topic });
        const event = parsed.event;
        if (!isPledgeEvent(event)) throw new Error(`parse let ${event.type} through on ${topic}`);
        await this.service.apply(event);
      },
    });
  }
}

import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { ContractViolationError, parseMessage, TOPICS } from '@tracker/contracts';
import { KafkaConsumers } from '@tracker/kafka';
import { ShipmentsViewService } from './shipments-view.service';

/** Feeds the shipments view from tracker.shipments.v1, from the beginning of the topic. */
@Injectable()
export class ShipmentsViewConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly consumers: KafkaConsumers,
    private readonly service: ShipmentsViewService,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.start({
      groupId: `${this.config.kafka.groupPrefix}.pledge-service.shipments-view`,
      topics: [TOPICS.shipments],
      fromBeginning: true,
      handle: async ({ topic, message }) => {
        const parsed = parseMessage(TOPICS.shipments, message);
        if (!parsed.ok) throw new ContractViolationError({ ...parsed.error, topic });
        await this.service.apply(parsed.event);
      },
    });
  }
}

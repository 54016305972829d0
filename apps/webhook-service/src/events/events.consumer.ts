import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { ContractViolationError, parseMessage, TOPICS } from '@tracker/contracts';
import { ConsumedMessage, KafkaConsumers } from '@tracker/kafka';
import { DeliveryWorker } from '../deliveries/delivery.worker';
import { EventFanoutService, PublishedEvent } from './event-fanout.service';

/** The topics whose events a subscriber may receive (DESIGN.md §4: alerts, pledges, shipments). */
export const WEBHOOK_TOPICS = [TOPICS.pledges, TOPICS.shipments, TOPICS.alerts] as const;

/**
 * Feeds the deliveries from the contract topics, in the group
 * `<KAFKA_GROUP_PREFIX>.webhook-service.deliveries`, from the beginning (the parties view needs
 * every pledge and dispatch). A fetched batch is applied in one transaction, and its offsets are
 * committed only once it committed: a crash re-reads it, and the deliveries it already queued
 * are recognised by (subscription, event id). Then the worker is woken.
 */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: KafkaConsumers,
    private readonly fanout: EventFanoutService,
    private readonly worker: DeliveryWorker,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.start({
      groupId: `${this.config.kafka.groupPrefix}.${this.config.service}.deliveries`,
      topics: [...WEBHOOK_TOPICS],
      fromBeginning: true,
      handle: (consumed) => this.apply([this.published(consumed)]),
      handleBatch: (batch) => this.apply(batch.map((consumed) => this.published(consumed))),
    });
  }

  private async apply(events: readonly PublishedEvent[]): Promise<void> {
    await this.fanout.applyAll(events);
    this.worker.wake();
  }

  private published({ topic, message }: ConsumedMessage): PublishedEvent {
    const contract = this.consumers.contractTopic(topic);
    const result = parseMessage(contract, message);
    if (!result.ok) throw new ContractViolationError({ ...result.error, topic: contract });
    return {
      event: result.event,
      payload: message.value!.toString('utf8'),
      recordedAt: recordedAt(message.timestamp),
    };
  }
}

/** A record's timestamp; a record without one (-1, from an old client) counts as read now. */
function recordedAt(timestamp: string): Date {
  const ms = Number(timestamp);
  return Number.isFinite(ms) && ms >= 0 ? new Date(ms) : new Date();
}

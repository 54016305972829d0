import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@tracker/contracts';
import { PledgeStatusService } from './pledge-status.service';

/**
 * The Kafka edge: one `@EventPattern` per contract topic the integrator follows. The patterns
 * are the contract topic names; the transport (integrator.ts) adds the stack's topic prefix.
 * Each handler hands the raw message to the service, which validates it; nothing here throws,
 * so a bad message never stops the consumer.
 */
@Controller()
export class PledgeEventsController {
  constructor(private readonly status: PledgeStatusService) {}

  @EventPattern(TOPICS.pledges)
  pledges(@Ctx() context: KafkaContext): void {
    this.receive(TOPICS.pledges, context);
  }

  @EventPattern(TOPICS.shipments)
  shipments(@Ctx() context: KafkaContext): void {
    this.receive(TOPICS.shipments, context);
  }

  @EventPattern(TOPICS.alerts)
  alerts(@Ctx() context: KafkaContext): void {
    this.receive(TOPICS.alerts, context);
  }

  private receive(topic: string, context: KafkaContext): void {
    const message = context.getMessage();
    this.status.receive({
      topic,
      value: message.value,
      key: message.key,
      headers: message.headers,
      position: `${context.getTopic()}[${context.getPartition()}]@${message.offset}`,
    });
  }
}

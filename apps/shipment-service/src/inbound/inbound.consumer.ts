import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import {
  ContractViolationError,
  INBOUND_SHIPMENTS_TOPIC,
  inboundOrganisation,
  inboundShipmentsTopic,
  parseMessage,
} from '@tracker/contracts';
import { DomainError } from '@tracker/errors';
import { KafkaConsumers, RetryPolicy } from '@tracker/kafka';
import { InboundEvent, InboundService } from './inbound.service';

/** Injection token of the retry policy of the inbound consumer (shortened in tests). */
export const INBOUND_RETRY = Symbol('INBOUND_RETRY');

/** Partitions of an inbound topic shipment-service creates for a producer it knows. */
const INBOUND_PARTITIONS = 3;

/**
 * Why an inbound message was refused, as the dead letter's reason says it. Retriable only when
 * the refusal is (a pledge the view does not know yet).
 */
export class InboundRefused extends Error {
  readonly retriable: boolean;

  constructor(event: InboundEvent, reason: string, retriable = false) {
    super(`${event.type} ${event.id} from ${event.source} refused: ${reason}`);
    this.name = 'InboundRefused';
    this.retriable = retriable;
  }

  static of(event: InboundEvent, error: DomainError): InboundRefused {
    const at = error.field === undefined ? '' : ` at data.${error.field}`;
    return new InboundRefused(event, `${error.code}${at}: ${error.message}`, error.retriable);
  }
}

/**
 * The organisation is the topic's: Kafka's ACLs let only `producer:<org>` write
 * tracker.inbound.<org>.shipments.v1. An event whose `source` claims anything but
 * `/producers/<org>` of that organisation is refused.
 */
export function checkSource(event: InboundEvent, org: string): void {
  if (event.source === `/producers/${org}`) return;
  throw new InboundRefused(
    event,
    `source must be /producers/${org}: the event arrived on ${inboundShipmentsTopic(org)}, which only producer ${org} may write`,
  );
}

/** The organisations `AUTH_TOKENS` names producers of. */
function producerOrganisations(config: AppConfig): string[] {
  const orgs = new Set<string>();
  for (const role of config.authTokens?.values() ?? []) {
    if (role.kind === 'producer') orgs.add(role.org);
  }
  return [...orgs].sort();
}

/**
 * Consumes every tracker.inbound.<org>.shipments.v1 by pattern: each message is checked against
 * the contract, its organisation taken from the topic (never from the event), its `source` held
 * to it, and applied by {@link InboundService}. The inbound topics of the producers in
 * `AUTH_TOKENS` are created first, so the pattern finds them. Contract violations and refused
 * events are dead-lettered at once (original bytes and headers, plus the reason); an event for
 * a pledge the view does not know yet is retried within the policy's budget, then
 * dead-lettered, so it never holds its partition for long.
 */
@Injectable()
export class InboundConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(INBOUND_RETRY) private readonly retry: RetryPolicy,
    private readonly consumers: KafkaConsumers,
    private readonly service: InboundService,
  ) {}

  onApplicationBootstrap(): void {
    const inboundTopics = producerOrganisations(this.config).map(inboundShipmentsTopic);
    this.consumers.start({
      groupId: `${this.config.kafka.groupPrefix}.shipment-service.inbound`,
      topics: [INBOUND_SHIPMENTS_TOPIC],
      fromBeginning: true,
      retry: this.retry,
      prepare: () => this.consumers.ensureTopics(inboundTopics, INBOUND_PARTITIONS),
      handle: async ({ topic, message }) => {
        const contractTopic = this.consumers.contractTopic(topic);
        const org = inboundOrganisation(contractTopic);
        if (org === undefined) throw new Error(`${topic} is not an inbound topic`);
        const parsed = parseMessage(contractTopic, message, {
          maxClockSkewMs: this.config.maxClockSkewMs,
        });
        if (!parsed.ok) throw new ContractViolationError({ ...parsed.error, topic });
        const event = parsed.event as InboundEvent;
        checkSource(event, org);
        try {
          await this.service.apply(event, org);
        } catch (error) {
          throw error instanceof DomainError ? InboundRefused.of(event, error) : error;
        }
      },
    });
  }
}

import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { ContractViolationError, OrganisationCode, parseMessage, TOPICS } from '@tracker/contracts';
import { DomainError } from '@tracker/errors';
import { KafkaConsumers, RetryPolicy } from '@tracker/kafka';
import { InboundEvent, InboundService } from './inbound.service';

/** Injection token of the retry policy of the inbound consumer (shortened in tests). */
export const INBOUND_RETRY = Symbol('INBOUND_RETRY');

const PRODUCER_SOURCE = /^\/producers\/([^/]+)$/;

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

/** The producer organisation of `/producers/<org>`; anything else is refused. */
function producerOf(event: InboundEvent): string {
  const org = OrganisationCode.safeParse(PRODUCER_SOURCE.exec(event.source)?.[1]);
  if (org.success) return org.data;
  throw new InboundRefused(
    event,
    'source must be /producers/<org> with the lower-case code of a producer organisation',
  );
}

/**
 * Consumes tracker.inbound.shipments.v1: each message is checked against the contract, its
 * producer read from `source`, and applied by {@link InboundService}. Contract violations and
 * refused events are dead-lettered at once (original bytes and headers, plus the reason);
 * events for a pledge not known yet are retried with backoff, then dead-lettered.
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
    this.consumers.start({
      groupId: `${this.config.kafka.groupPrefix}.shipment-service.inbound`,
      topics: [TOPICS.inboundShipments],
      fromBeginning: true,
      retry: this.retry,
      handle: async ({ topic, message }) => {
        const parsed = parseMessage(TOPICS.inboundShipments, message, {
          maxClockSkewMs: this.config.maxClockSkewMs, // nothing from the future
        });
        if (!parsed.ok) throw new ContractViolationError({ ...parsed.error, topic });
        const event = parsed.event;
        try {
          await this.service.apply(event, producerOf(event));
        } catch (error) {
          throw error instanceof DomainError ? InboundRefused.of(event, error) : error;
        }
      },
    });
  }
}

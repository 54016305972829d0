import { Injectable } from '@nestjs/common';
import { maySee } from '@tracker/access';
import { toRole } from '@tracker/config';
import type { TrackerEvent } from '@tracker/contracts';
import { audienceOf, EventContext, matchesFilters, pledgeIdOf, shipmentIdOf } from './audience';
import { EventFanoutRepository, FanoutTransaction } from './event-fanout.repository';

/** A consumed event with what the delivery needs: its bytes as published, when it was recorded. */
export interface PublishedEvent {
  readonly event: TrackerEvent;
  /** The Kafka record's value: the body every webhook of this event carries, byte for byte. */
  readonly payload: string;
  /** The Kafka record's timestamp. */
  readonly recordedAt: Date;
}

/**
 * Turns each published event into deliveries: it keeps the parties view current, then queues the
 * event for every live subscription to its type, created before the event was recorded, whose
 * filters it passes and whose owner may see it (`maySee` of @tracker/access, the one policy of
 * every door).
 */
@Injectable()
export class EventFanoutService {
  constructor(private readonly repository: EventFanoutRepository) {}

  /** Applies a batch of events in one transaction, in order. */
  applyAll(events: readonly PublishedEvent[]): Promise<void> {
    return this.repository.inTransaction(async (tx) => {
      for (const published of events) await this.applyIn(tx, published);
    });
  }

  private async applyIn(tx: FanoutTransaction, published: PublishedEvent): Promise<void> {
    const { event } = published;
    await this.learn(tx, event);
    const context = await this.contextOf(tx, event);
    const audience = audienceOf(event, context);
    if (event.type === 'tracker.alert.raised.v1') {
      await tx.recordAlert(event.data.alertId, audience);
    }
    for (const candidate of await tx.candidates(event.type, published.recordedAt)) {
      if (!maySee(toRole(candidate.owner), audience)) continue;
      if (!matchesFilters(candidate.filters, event, context)) continue;
      await tx.queue({
        subscriptionId: candidate.id,
        eventId: event.id,
        eventType: event.type,
        payload: published.payload,
      });
    }
  }

  /** Records who a pledge or shipment belongs to, before deciding who sees its event. */
  private async learn(tx: FanoutTransaction, event: TrackerEvent): Promise<void> {
    if (event.type === 'tracker.pledge.announced.v1') {
      const { pledgeId, donor, recipient, itemCode } = event.data;
      await tx.recordPledge({ pledgeId, donor, recipient, itemCode });
    } else if (event.type === 'tracker.shipment.dispatched.v1') {
      const { shipmentId, pledgeId, itemCode, dispatchedBy } = event.data;
      await tx.recordShipment({ shipmentId, pledgeId, itemCode, sender: dispatchedBy ?? null });
    }
  }

  private async contextOf(tx: FanoutTransaction, event: TrackerEvent): Promise<EventContext> {
    const shipmentId = shipmentIdOf(event);
    const shipment = shipmentId === undefined ? undefined : await tx.shipment(shipmentId);
    const pledgeId =
      event.type === 'tracker.alert.raised.v1' && event.data.entityType === 'pledge'
        ? event.data.entityId
        : pledgeIdOf(event, { shipment });
    const pledge = pledgeId === undefined ? undefined : await tx.pledge(pledgeId);
    const raisedAlert =
      event.type === 'tracker.alert.cleared.v1'
        ? await tx.alertAudience(event.data.alertId)
        : undefined;
    return { pledge, shipment, raisedAlert };
  }
}

import { eventFact, Fact, producerOf } from '@tracker/access';
import type { TrackerEvent } from '@tracker/contracts';

/** What webhook-service knows of a pledge: its parties and item (from tracker.pledges.v1). */
export interface PledgeParties {
  readonly pledgeId: string;
  readonly donor: string;
  readonly recipient: string;
  readonly itemCode: string;
}

/** What it knows of a shipment: its pledge and who sent it (from the dispatch). */
export interface ShipmentParties {
  readonly shipmentId: string;
  readonly pledgeId: string;
  readonly itemCode: string;
  /** `producer:<org>`, `donor:<CC>` or `admin`; null when the dispatch did not say. */
  readonly sender: string | null;
}

/** The parties an event is about, as far as the view knows them. */
export interface EventContext {
  readonly pledge?: PledgeParties;
  readonly shipment?: ShipmentParties;
  /** For a cleared alert: whom the alert was for when it was raised. */
  readonly raisedAlert?: Fact;
}

/** What a subscription may narrow its events to; every listed criterion must match. */
export interface SubscriptionFilters {
  readonly pledgeIds?: readonly string[];
  readonly itemCodes?: readonly string[];
  readonly donors?: readonly string[];
}

/**
 * Who may see an event: the one rule of libs/access (`eventFact`), with the parties the view
 * knows of it (its pledge, its shipment, whom a cleared alert was raised for). A party not known
 * yet grants nothing: such an event goes to admin and ops only.
 */
export function audienceOf(event: TrackerEvent, context: EventContext): Fact {
  return eventFact(event, {
    pledge: () => context.pledge,
    // webhook-service does not read the production topic: a lot's producer is not known here.
    lotProducer: () => undefined,
    shipment: () => ({
      donor: context.pledge?.donor,
      recipient: context.pledge?.recipient,
      producer: producerOf(context.shipment?.sender),
    }),
    raisedAlert: () => context.raisedAlert,
  });
}

/** The pledge an event is about, if any: its own, its shipment's, or its alert's entity. */
export function pledgeIdOf(event: TrackerEvent, context: EventContext): string | undefined {
  if (event.type.startsWith('tracker.pledge.') || event.type === 'tracker.shipment.dispatched.v1') {
    return (event.data as { pledgeId: string }).pledgeId;
  }
  return context.pledge?.pledgeId ?? context.shipment?.pledgeId;
}

/** The shipment an event is about, if any. */
export function shipmentIdOf(event: TrackerEvent): string | undefined {
  if (event.type.startsWith('tracker.shipment.')) {
    return (event.data as { shipmentId: string }).shipmentId;
  }
  if (event.type === 'tracker.alert.raised.v1' && event.data.entityType === 'shipment') {
    return event.data.entityId;
  }
  return undefined;
}

/** Whether an event passes a subscription's filters (an unknown attribute passes none). */
export function matchesFilters(
  filters: SubscriptionFilters,
  event: TrackerEvent,
  context: EventContext,
): boolean {
  const pledgeId = pledgeIdOf(event, context);
  const itemCode = context.pledge?.itemCode ?? context.shipment?.itemCode;
  const donor = context.pledge?.donor;
  const passes = (wanted: readonly string[] | undefined, value: string | undefined) =>
    wanted === undefined || (value !== undefined && wanted.includes(value));
  return (
    passes(filters.pledgeIds, pledgeId) &&
    passes(filters.itemCodes, itemCode) &&
    passes(filters.donors, donor)
  );
}

import { Fact, operationalFact, PUBLIC_FACT } from '@tracker/access';
import type { TrackerEvent } from '@tracker/contracts';
import { alertFact } from '@tracker/read-model';

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

/** The organisation of a `producer:<org>` sender; undefined for a donor, an admin or none. */
function producerOf(sender: string | null | undefined): string | undefined {
  return sender?.startsWith('producer:') ? sender.slice('producer:'.length) : undefined;
}

/**
 * Who may see an event (README, "Who sees what"), decided as the projection decides a feed
 * entry's audience: a pledge's announcement, amendment and cancellation are public; a
 * shipment's events belong to its pledge's donor and recipient and the producer that sent it;
 * an alert to the parties its details name, and its clearing to the same. A party not known yet
 * grants nothing: such an event goes to admin and ops only.
 */
export function audienceOf(event: TrackerEvent, context: EventContext): Fact {
  switch (event.type) {
    case 'tracker.pledge.announced.v1':
    case 'tracker.pledge.amended.v1':
    case 'tracker.pledge.cancelled.v1':
    case 'tracker.programme.declared.v1':
      return PUBLIC_FACT;
    case 'tracker.shipment.dispatched.v1':
    case 'tracker.shipment.milestone.v1':
    case 'tracker.shipment.delivered.v1':
    case 'tracker.shipment.delivery-corrected.v1':
    case 'tracker.shipment.lost.v1': {
      const producer = producerOf(context.shipment?.sender);
      return operationalFact(
        { donor: context.pledge?.donor, recipient: context.pledge?.recipient },
        producer === undefined ? [] : [producer],
      );
    }
    case 'tracker.alert.raised.v1':
      return alertFact({ ...event.data, details: event.data.details ?? {} });
    case 'tracker.alert.cleared.v1':
      // A cleared alert does not say what it was about: whom it was raised for, when the view
      // saw it raised; else admin and ops only, like the feed.
      return context.raisedAlert ?? operationalFact({});
    // Not on the topics webhook-service reads; decided as the projection does, for completeness.
    case 'tracker.production.allocated.v1':
      return operationalFact({
        donor: context.pledge?.donor,
        recipient: context.pledge?.recipient,
      });
    case 'tracker.production.capacity-declared.v1':
    case 'tracker.production.lot-completed.v1':
      return { class: 'commercial', producer: event.data.manufacturer };
    case 'tracker.production.lot-qa-changed.v1':
      return { class: 'commercial', producer: '' };
    case 'tracker.stockpile.level-reported.v1':
      return { class: 'national', nation: event.data.nation };
  }
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

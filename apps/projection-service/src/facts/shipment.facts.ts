import type {
  ShipmentDeliveredV1Event,
  ShipmentDeliveryCorrectedV1Event,
  ShipmentDispatchedV1Event,
  ShipmentLostV1Event,
  ShipmentMilestoneV1Event,
} from '@tracker/contracts';
import type { ShipmentShare } from './pledge.facts';
import { isAfter, latest, Stamp, stampOf, withEntry } from './stamp';

export interface Dispatch {
  readonly stamp: Stamp;
  readonly pledgeId: string;
  readonly itemCode: string;
  readonly quantity: number;
  readonly dispatchedAt: string;
  readonly eta: string | null;
  /** Who sent it (`producer:<org>`, `donor:<CC>`, `admin`); null when the event did not say. */
  readonly dispatchedBy: string | null;
}

export interface Milestone {
  readonly stamp: Stamp;
  readonly status: string;
  readonly at: string;
  readonly eta: string | null;
}

export interface Delivery {
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly receivedAt: string;
}

/** A correction of the shipment's receipt: the receipt's figures as they should have been. */
export interface Correction {
  readonly stamp: Stamp;
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly reason: string;
}

/**
 * Every fact known about one shipment. A delivery, milestone or loss may arrive before the
 * dispatch that says which pledge the shipment serves: they are kept, and count for the pledge
 * once the dispatch is known.
 */
export interface ShipmentFacts {
  readonly dispatch?: Dispatch;
  readonly milestones: Readonly<Record<string, Milestone>>;
  readonly deliveries: Readonly<Record<string, Delivery>>;
  readonly losses: Readonly<Record<string, number>>;
  /**
   * Corrections of the receipt, by event id (absent until the first one): the latest by
   * {@link Stamp} replaces the receipts' figures as a whole, whatever order they arrive in.
   */
  readonly corrections?: Readonly<Record<string, Correction>>;
}

export const NO_SHIPMENT_FACTS: ShipmentFacts = { milestones: {}, deliveries: {}, losses: {} };

export type ShipmentEvent =
  | ShipmentDispatchedV1Event
  | ShipmentMilestoneV1Event
  | ShipmentDeliveredV1Event
  | ShipmentDeliveryCorrectedV1Event
  | ShipmentLostV1Event;

export function foldShipment(facts: ShipmentFacts, event: ShipmentEvent): ShipmentFacts {
  const stamp = stampOf(event);
  switch (event.type) {
    case 'tracker.shipment.dispatched.v1': {
      const { pledgeId, itemCode, quantity, dispatchedAt, eta, dispatchedBy } = event.data;
      const dispatch = {
        stamp,
        pledgeId,
        itemCode,
        quantity,
        dispatchedAt,
        eta: eta ?? null,
        dispatchedBy: dispatchedBy ?? null,
      };
      return { ...facts, dispatch: latest(facts.dispatch, dispatch) };
    }
    case 'tracker.shipment.milestone.v1': {
      const { status, at, eta } = event.data;
      const milestone = {
        stamp: { t: Date.parse(at), id: event.id },
        status,
        at,
        eta: eta ?? null,
      };
      return { ...facts, milestones: withEntry(facts.milestones, event.id, milestone) };
    }
    case 'tracker.shipment.delivered.v1': {
      const { receivedQuantity, acceptedQuantity, rejectedQuantity, receivedAt } = event.data;
      const delivery = {
        received: receivedQuantity,
        accepted: acceptedQuantity,
        rejected: rejectedQuantity ?? Math.max(0, receivedQuantity - acceptedQuantity),
        receivedAt,
      };
      return { ...facts, deliveries: withEntry(facts.deliveries, event.id, delivery) };
    }
    case 'tracker.shipment.delivery-corrected.v1': {
      const { receivedQuantity, acceptedQuantity, rejectedQuantity, correctedAt, reason } =
        event.data;
      const correction = {
        stamp: { t: Date.parse(correctedAt), id: event.id },
        received: receivedQuantity,
        accepted: acceptedQuantity,
        rejected: rejectedQuantity ?? Math.max(0, receivedQuantity - acceptedQuantity),
        reason,
      };
      return { ...facts, corrections: withEntry(facts.corrections ?? {}, event.id, correction) };
    }
    case 'tracker.shipment.lost.v1':
      return { ...facts, losses: withEntry(facts.losses, event.id, event.data.quantity) };
  }
}

/** The latest correction of the shipment's receipt, if any. */
export function latestCorrection(facts: ShipmentFacts): Correction | undefined {
  let last: Correction | undefined;
  for (const correction of Object.values(facts.corrections ?? {})) last = latest(last, correction);
  return last;
}

/**
 * The receipts that count: the receipts as reported, or, once the receipt was corrected, one
 * receipt with the latest correction's figures, dated by the latest receipt (the goods arrived
 * then; the correction only fixes the count), or by the correction when no receipt is known yet.
 */
export function effectiveDeliveries(facts: ShipmentFacts): Delivery[] {
  const deliveries = Object.values(facts.deliveries);
  const correction = latestCorrection(facts);
  if (correction === undefined) return deliveries;
  const times = deliveries.map((delivery) => Date.parse(delivery.receivedAt));
  const receivedAt =
    deliveries.length === 0
      ? new Date(correction.stamp.t).toISOString()
      : deliveries[times.indexOf(Math.max(...times))].receivedAt;
  const { received, accepted, rejected } = correction;
  return [{ received, accepted, rejected, receivedAt }];
}

const sum = (values: Iterable<number>): number => {
  let total = 0;
  for (const value of values) total += value;
  return total;
};

/** What the shipment contributes to its pledge; undefined until the dispatch is known. */
export function shipmentShare(facts: ShipmentFacts): ShipmentShare | undefined {
  if (facts.dispatch === undefined) return undefined;
  const deliveries = effectiveDeliveries(facts);
  let lastAccepted: { t: number; at: string } | undefined;
  for (const delivery of deliveries) {
    if (delivery.accepted === 0) continue;
    const t = Date.parse(delivery.receivedAt);
    if (lastAccepted === undefined || t > lastAccepted.t)
      lastAccepted = { t, at: delivery.receivedAt };
  }
  return {
    shipped: facts.dispatch.quantity,
    received: sum(deliveries.map((delivery) => delivery.received)),
    accepted: sum(deliveries.map((delivery) => delivery.accepted)),
    rejected: sum(deliveries.map((delivery) => delivery.rejected)),
    lost: sum(Object.values(facts.losses)),
    lastAcceptedAt: lastAccepted?.at ?? null,
    dispatchedAtMs: Date.parse(facts.dispatch.dispatchedAt),
  };
}

/**
 * When a shipment in transit is expected (ms): its latest eta, or its latest sign of life when
 * that is later. Undefined when it is not in transit (no dispatch, delivered, lost in full) or
 * nobody gave an eta, so it cannot stall.
 */
export function transitDeadline(facts: ShipmentFacts): number | undefined {
  const dispatch = facts.dispatch;
  if (dispatch === undefined || effectiveDeliveries(facts).length > 0) return undefined;
  if (sum(Object.values(facts.losses)) >= dispatch.quantity) return undefined;
  let signal = Date.parse(dispatch.dispatchedAt);
  let eta = dispatch.eta === null ? undefined : Date.parse(dispatch.eta);
  let latestMilestone: Milestone | undefined;
  for (const milestone of Object.values(facts.milestones)) {
    signal = Math.max(signal, milestone.stamp.t);
    if (
      milestone.eta !== null &&
      (latestMilestone === undefined || isAfter(milestone.stamp, latestMilestone.stamp))
    ) {
      latestMilestone = milestone;
    }
  }
  if (latestMilestone?.eta) eta = Date.parse(latestMilestone.eta);
  return eta === undefined ? undefined : Math.max(eta, signal);
}

/** Since when (ms) more was received than dispatched, if it was: the last receipt's time. */
export function overDeliveredSince(facts: ShipmentFacts): number | undefined {
  const deliveries = effectiveDeliveries(facts);
  if (deliveries.length === 0) return undefined;
  const received = sum(deliveries.map((delivery) => delivery.received));
  if (facts.dispatch !== undefined && received <= facts.dispatch.quantity) return undefined;
  return Math.max(...deliveries.map((delivery) => Date.parse(delivery.receivedAt)));
}

import type {
  AllocatedV1Event,
  PledgeAmendedV1Event,
  PledgeAnnouncedV1Event,
  PledgeCancelledV1Event,
} from '@tracker/contracts';
import { latest, Stamp, stampOf, withEntry, withoutEntry } from './stamp';

/** What one shipment contributes to its pledge (copied from the shipment's own facts). */
export interface ShipmentShare {
  readonly shipped: number;
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly lost: number;
  /** Latest receipt that accepted anything, RFC 3339; null when none did. */
  readonly lastAcceptedAt: string | null;
  /** When it was dispatched (ms): the start of an "unknown pledge" grace period. */
  readonly dispatchedAtMs: number;
}

export interface Announcement {
  readonly stamp: Stamp;
  readonly donor: string;
  readonly recipient: string;
  readonly itemCode: string;
  readonly quantity: number;
  readonly targetDate: string | null;
  readonly purpose: string;
  readonly sourcing: string;
  readonly programme: string | null;
  readonly confidence: string;
  readonly announcedAt: string;
}

/**
 * Every fact known about one pledge, from every topic. Each kind of fact is keyed by the id
 * that identifies it (event id, allocation id, shipment id), so folding an event twice changes
 * nothing and the order of folding does not matter: what is derived from the facts picks the
 * latest by {@link Stamp}.
 */
export interface PledgeFacts {
  readonly announcement?: Announcement;
  readonly amendments: Readonly<
    Record<
      string,
      { readonly stamp: Stamp; readonly quantity?: number; readonly targetDate?: string }
    >
  >;
  readonly cancellations: Readonly<
    Record<string, { readonly stamp: Stamp; readonly at: string; readonly reason: string }>
  >;
  readonly allocations: Readonly<
    Record<string, { readonly stamp: Stamp; readonly lotId: string; readonly quantity: number }>
  >;
  readonly shipments: Readonly<Record<string, ShipmentShare>>;
}

export const NO_PLEDGE_FACTS: PledgeFacts = {
  amendments: {},
  cancellations: {},
  allocations: {},
  shipments: {},
};

export type PledgeEvent =
  PledgeAnnouncedV1Event | PledgeAmendedV1Event | PledgeCancelledV1Event | AllocatedV1Event;

export function foldPledge(facts: PledgeFacts, event: PledgeEvent): PledgeFacts {
  const stamp = stampOf(event);
  switch (event.type) {
    case 'tracker.pledge.announced.v1': {
      const data = event.data;
      const announcement: Announcement = {
        stamp,
        donor: data.donor,
        recipient: data.recipient,
        itemCode: data.itemCode,
        quantity: data.quantity,
        targetDate: data.targetDate ?? null,
        purpose: data.purpose,
        sourcing: data.sourcing,
        programme: data.programme ?? null,
        confidence: data.confidence,
        announcedAt: data.announcedAt,
      };
      return { ...facts, announcement: latest(facts.announcement, announcement) };
    }
    case 'tracker.pledge.amended.v1': {
      const { quantity, targetDate } = event.data;
      const amendment = {
        stamp,
        ...(quantity === undefined ? {} : { quantity }),
        ...(targetDate === undefined ? {} : { targetDate }),
      };
      return { ...facts, amendments: withEntry(facts.amendments, event.id, amendment) };
    }
    case 'tracker.pledge.cancelled.v1': {
      const cancellation = { stamp, at: event.time, reason: event.data.reason };
      return { ...facts, cancellations: withEntry(facts.cancellations, event.id, cancellation) };
    }
    case 'tracker.production.allocated.v1': {
      const { allocationId, lotId, quantity } = event.data;
      const allocation = latest(facts.allocations[allocationId], { stamp, lotId, quantity });
      return { ...facts, allocations: withEntry(facts.allocations, allocationId, allocation) };
    }
  }
}

/** The pledge with one shipment's share set (or removed, when `share` is undefined). */
export function withShipment(
  facts: PledgeFacts,
  shipmentId: string,
  share: ShipmentShare | undefined,
): PledgeFacts {
  return {
    ...facts,
    shipments:
      share === undefined
        ? withoutEntry(facts.shipments, shipmentId)
        : withEntry(facts.shipments, shipmentId, share),
  };
}

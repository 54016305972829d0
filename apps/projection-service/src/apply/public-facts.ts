import type { TrackerEvent } from '@tracker/contracts';
import type { PublicFact } from '@tracker/read-model';

/**
 * What an event adds to the public ledger (README, "Who sees what"): a pledge as announced, its
 * amendments and cancellation, the link of a shipment to its pledge, and a receipt its
 * recipient (or an admin) confirmed, and its corrections. Nothing else is public: no routes, ETAs, lots, stockpiles,
 * facilities; a receipt nobody confirmed (no `reportedBy`) is not a delivery the public counts.
 */
export function publicFactOf(event: TrackerEvent): PublicFact | undefined {
  switch (event.type) {
    case 'tracker.pledge.announced.v1': {
      const data = event.data;
      return {
        k: 'announced',
        id: event.id,
        t: event.time,
        pledge: {
          pledgeId: data.pledgeId,
          donor: data.donor,
          recipient: data.recipient,
          itemCode: data.itemCode,
          quantity: data.quantity,
          valueCents: data.valueCents,
          announcedAt: data.announcedAt,
          targetDate: data.targetDate,
          purpose: data.purpose,
          sourcing: data.sourcing,
          programme: data.programme,
          confidence: data.confidence,
          sourceUrl: data.sourceUrl,
        },
      };
    }
    case 'tracker.pledge.amended.v1': {
      const { pledgeId, quantity, targetDate, reason } = event.data;
      return { k: 'amended', id: event.id, t: event.time, pledgeId, quantity, targetDate, reason };
    }
    case 'tracker.pledge.cancelled.v1': {
      const { pledgeId, reason } = event.data;
      return { k: 'cancelled', id: event.id, t: event.time, pledgeId, reason };
    }
    case 'tracker.shipment.dispatched.v1': {
      const { shipmentId, pledgeId } = event.data;
      return { k: 'shipped', id: event.id, shipmentId, pledgeId };
    }
    case 'tracker.shipment.delivered.v1': {
      const { shipmentId, receivedAt, acceptedQuantity, reportedBy } = event.data;
      if (reportedBy === undefined) return undefined;
      return { k: 'accepted', id: event.id, t: receivedAt, shipmentId, quantity: acceptedQuantity };
    }
    case 'tracker.shipment.delivery-corrected.v1': {
      const { shipmentId, correctedAt, acceptedQuantity, reportedBy, reason } = event.data;
      if (reportedBy === undefined) return undefined;
      return {
        k: 'corrected',
        id: event.id,
        t: correctedAt,
        shipmentId,
        quantity: acceptedQuantity,
        reason,
      };
    }
    case 'tracker.programme.declared.v1':
    case 'tracker.production.capacity-declared.v1':
    case 'tracker.production.lot-completed.v1':
    case 'tracker.production.lot-qa-changed.v1':
    case 'tracker.production.allocated.v1':
    case 'tracker.shipment.milestone.v1':
    case 'tracker.shipment.lost.v1':
    case 'tracker.stockpile.level-reported.v1':
    case 'tracker.alert.raised.v1':
    case 'tracker.alert.cleared.v1':
      return undefined;
  }
}

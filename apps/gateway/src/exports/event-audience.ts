import { Fact, operationalFact, PUBLIC_FACT } from '@tracker/access';
import type { TrackerEvent } from '@tracker/contracts';
import { alertFact } from '@tracker/read-model';

/** The organisation of a `producer:<org>` sender; undefined for a donor, an admin or none. */
function producerOf(dispatchedBy: string | undefined): string | undefined {
  return dispatchedBy?.startsWith('producer:') ? dispatchedBy.slice('producer:'.length) : undefined;
}

/**
 * Who may see an event read from the log (README, "Who sees what"), by the same rule the
 * projection gives feed entries: a pledge's announcement, amendment and cancellation are public;
 * an allocation belongs to the pledge's donor and recipient and the lot's producer; capacity and
 * lots to their producer; a shipment's events to its pledge's donor and recipient and the
 * producer that sent it; a stockpile report to its nation; an alert to the parties it names.
 * The parties are learned from the events read before (pledges, lots, dispatches): the export
 * reads the topics in that order. A party not known is left out and grants nothing.
 */
export class EventAudience {
  private readonly pledges = new Map<string, { donor: string; recipient: string }>();
  private readonly lots = new Map<string, string>();
  private readonly shipments = new Map<string, { pledgeId: string; producer?: string }>();

  /** Remembers the parties an event names. */
  learn(event: TrackerEvent): void {
    if (event.type === 'tracker.pledge.announced.v1') {
      const { pledgeId, donor, recipient } = event.data;
      this.pledges.set(pledgeId, { donor, recipient });
    } else if (event.type === 'tracker.production.lot-completed.v1') {
      this.lots.set(event.data.lotId, event.data.manufacturer);
    } else if (event.type === 'tracker.shipment.dispatched.v1') {
      const { shipmentId, pledgeId, dispatchedBy } = event.data;
      this.shipments.set(shipmentId, { pledgeId, producer: producerOf(dispatchedBy) });
    }
  }

  factOf(event: TrackerEvent): Fact {
    switch (event.type) {
      case 'tracker.pledge.announced.v1':
      case 'tracker.pledge.amended.v1':
      case 'tracker.pledge.cancelled.v1':
      case 'tracker.programme.declared.v1':
        return PUBLIC_FACT;
      case 'tracker.production.allocated.v1': {
        const producer = this.lots.get(event.data.lotId);
        return operationalFact(
          this.pledges.get(event.data.pledgeId) ?? {},
          producer === undefined ? [] : [producer],
        );
      }
      case 'tracker.production.capacity-declared.v1':
      case 'tracker.production.lot-completed.v1':
        return { class: 'commercial', producer: event.data.manufacturer };
      case 'tracker.production.lot-qa-changed.v1':
        return { class: 'commercial', producer: this.lots.get(event.data.lotId) ?? '' };
      case 'tracker.shipment.dispatched.v1':
      case 'tracker.shipment.milestone.v1':
      case 'tracker.shipment.delivered.v1':
      case 'tracker.shipment.delivery-corrected.v1':
      case 'tracker.shipment.lost.v1': {
        const shipment = this.shipments.get(event.data.shipmentId);
        const parties = shipment === undefined ? {} : (this.pledges.get(shipment.pledgeId) ?? {});
        const producer = shipment?.producer;
        return operationalFact(parties, producer === undefined ? [] : [producer]);
      }
      case 'tracker.stockpile.level-reported.v1':
        return { class: 'national', nation: event.data.nation };
      case 'tracker.alert.raised.v1':
        return alertFact({ ...event.data, details: event.data.details ?? {} });
      case 'tracker.alert.cleared.v1':
        return operationalFact({});
    }
  }
}

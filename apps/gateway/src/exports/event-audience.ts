import { eventFact, Fact, producerOf } from '@tracker/access';
import type { TrackerEvent } from '@tracker/contracts';

/**
 * Who may see an event read from the log: the one rule of libs/access (`eventFact`), the same the
 * projection gives feed entries, with the parties learned from the events read before (pledges,
 * lots, dispatches): the export reads the topics in that order. A party not known is left out
 * and grants nothing.
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
    return eventFact(event, {
      pledge: (pledgeId) => this.pledges.get(pledgeId),
      lotProducer: (lotId) => this.lots.get(lotId),
      shipment: (shipmentId) => {
        const shipment = this.shipments.get(shipmentId);
        if (shipment === undefined) return undefined;
        return { ...this.pledges.get(shipment.pledgeId), producer: shipment.producer };
      },
    });
  }
}

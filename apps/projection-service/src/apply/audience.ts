import { Fact, operationalFact, PUBLIC_FACT } from '@tracker/access';
import type { TrackerEvent } from '@tracker/contracts';
import { alertFact } from '@tracker/read-model';
import { pledgeParties, shipmentParties } from '../derive/parties';
import type { PledgeFacts } from '../facts/pledge.facts';
import type { LotFacts } from '../facts/production.facts';
import type { ShipmentFacts } from '../facts/shipment.facts';
import type { WorkingSet } from './working-set';

/**
 * Who may see an event's feed entry (README, "Who sees what"), from the event and what the
 * batch knows once it is folded: a pledge's announcement, amendment and cancellation are
 * public, and so is a programme's declaration; an allocation belongs to the pledge's donor and recipient and the lot's producer;
 * capacity and lots to their producer; a shipment's events to its pledge's donor and
 * recipient and the producer that sent it; a stockpile report to its nation. A party not known
 * yet (a shipment event before its dispatch or its pledge) is left out: the entry is then for
 * admin and ops only.
 */
export function audienceOf(event: TrackerEvent, ws: WorkingSet): Fact {
  switch (event.type) {
    case 'tracker.pledge.announced.v1':
    case 'tracker.pledge.amended.v1':
    case 'tracker.pledge.cancelled.v1':
    case 'tracker.programme.declared.v1':
      return PUBLIC_FACT;
    case 'tracker.production.allocated.v1': {
      const producer = manufacturerOf(ws, event.data.lotId);
      return operationalFact(
        pledgeParties(ws.known<PledgeFacts>('pledge', event.data.pledgeId)),
        producer === undefined ? [] : [producer],
      );
    }
    case 'tracker.production.capacity-declared.v1':
    case 'tracker.production.lot-completed.v1':
      return { class: 'commercial', producer: event.data.manufacturer };
    case 'tracker.production.lot-qa-changed.v1':
      return { class: 'commercial', producer: manufacturerOf(ws, event.data.lotId) ?? '' };
    case 'tracker.shipment.dispatched.v1':
    case 'tracker.shipment.milestone.v1':
    case 'tracker.shipment.delivered.v1':
    case 'tracker.shipment.delivery-corrected.v1':
    case 'tracker.shipment.lost.v1': {
      const shipment = ws.known<ShipmentFacts>('shipment', event.data.shipmentId);
      const pledgeId = shipment?.dispatch?.pledgeId;
      const pledge = pledgeId === undefined ? undefined : ws.known<PledgeFacts>('pledge', pledgeId);
      const { producer, ...parties } = shipmentParties(shipment, pledge);
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

function manufacturerOf(ws: WorkingSet, lotId: string): string | undefined {
  return ws.known<LotFacts>('lot', lotId)?.completion?.manufacturer;
}

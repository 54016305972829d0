import { eventFact, Fact } from '@tracker/access';
import type { TrackerEvent } from '@tracker/contracts';
import { pledgeParties, shipmentParties } from '../derive/parties';
import type { PledgeFacts } from '../facts/pledge.facts';
import type { LotFacts } from '../facts/production.facts';
import type { ShipmentFacts } from '../facts/shipment.facts';
import type { WorkingSet } from './working-set';

/**
 * Who may see an event's feed entry: the one rule of libs/access (`eventFact`), with the parties
 * the batch knows once it is folded. A party not known yet (a shipment event before its dispatch
 * or its pledge) is left out: the entry is then for admin and ops only.
 */
export function audienceOf(event: TrackerEvent, ws: WorkingSet): Fact {
  const pledge = (pledgeId: string) => ws.known<PledgeFacts>('pledge', pledgeId);
  return eventFact(event, {
    pledge: (pledgeId) => pledgeParties(pledge(pledgeId)),
    lotProducer: (lotId) => ws.known<LotFacts>('lot', lotId)?.completion?.manufacturer,
    shipment: (shipmentId) => {
      const shipment = ws.known<ShipmentFacts>('shipment', shipmentId);
      const pledgeId = shipment?.dispatch?.pledgeId;
      return shipmentParties(shipment, pledgeId === undefined ? undefined : pledge(pledgeId));
    },
  });
}

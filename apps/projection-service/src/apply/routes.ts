import type { TrackerEvent } from '@tracker/contracts';
import { docKey } from '@tracker/read-model';

/**
 * The documents an event is folded into, and the ones the batch must read to fold it: a
 * dispatch or an allocation also changes its pledge; an allocation's feed entry names the
 * lot's producer, read from the lot. (A shipment's current pledge is read through the shipment
 * document's link.)
 */
export function documentsOf(event: TrackerEvent): string[] {
  switch (event.type) {
    case 'tracker.pledge.announced.v1':
    case 'tracker.pledge.amended.v1':
    case 'tracker.pledge.cancelled.v1':
      return [docKey('pledge', event.data.pledgeId)];
    case 'tracker.production.allocated.v1':
      return [docKey('pledge', event.data.pledgeId), docKey('lot', event.data.lotId)];
    case 'tracker.production.capacity-declared.v1':
      return [docKey('capacity', event.data.capacityId)];
    case 'tracker.production.lot-completed.v1':
    case 'tracker.production.lot-qa-changed.v1':
      return [docKey('lot', event.data.lotId)];
    case 'tracker.shipment.dispatched.v1':
      return [docKey('shipment', event.data.shipmentId), docKey('pledge', event.data.pledgeId)];
    case 'tracker.shipment.milestone.v1':
    case 'tracker.shipment.delivered.v1':
    case 'tracker.shipment.delivery-corrected.v1':
    case 'tracker.shipment.lost.v1':
      return [docKey('shipment', event.data.shipmentId)];
    case 'tracker.stockpile.level-reported.v1':
      return [docKey('stockpile', `${event.data.nation}:${event.data.itemCode}`)];
    case 'tracker.programme.declared.v1':
      return [docKey('programme', event.data.programmeId)];
    case 'tracker.alert.raised.v1':
    case 'tracker.alert.cleared.v1':
      return [];
  }
}

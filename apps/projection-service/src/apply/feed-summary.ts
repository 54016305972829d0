import type { Fact } from '@tracker/access';
import type { TrackerEvent } from '@tracker/contracts';
import type { FeedEntry } from '@tracker/read-model';

// Thousands separators without Intl, which is slow on the hot path.
const n = (quantity: number): string => String(quantity).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * One line about an event for the feed, and who may see it (see ./audience). The line of a
 * shipment names places and quantities: the audience, which the gateway filters by, is what
 * keeps it from other parties.
 */
export function summarise(event: TrackerEvent, audience: Fact): FeedEntry {
  return {
    id: event.id,
    type: event.type,
    time: event.time,
    subject: event.subject,
    summary: line(event),
    audience,
  };
}

function line(event: TrackerEvent): string {
  switch (event.type) {
    case 'tracker.pledge.announced.v1': {
      const { donor, quantity, itemCode, recipient } = event.data;
      return `${donor} pledged ${n(quantity)} ${itemCode} to ${recipient}`;
    }
    case 'tracker.pledge.amended.v1':
      return `Pledge ${event.data.pledgeId} amended: ${event.data.reason}`;
    case 'tracker.pledge.cancelled.v1':
      return `Pledge ${event.data.pledgeId} cancelled: ${event.data.reason}`;
    case 'tracker.programme.declared.v1': {
      const { programmeId, targetQuantity, itemCode, deadline } = event.data;
      return `Programme ${programmeId} declared: ${n(targetQuantity)} ${itemCode} by ${deadline}`;
    }
    case 'tracker.production.capacity-declared.v1': {
      const { manufacturer, facility, unitsPerMonth, itemCode, basis } = event.data;
      return `${manufacturer} (${facility}) declared ${n(unitsPerMonth)} ${itemCode} a month (${basis})`;
    }
    case 'tracker.production.lot-completed.v1': {
      const { manufacturer, lotId, quantity, itemCode, qaStatus } = event.data;
      return `${manufacturer} completed lot ${lotId}: ${n(quantity)} ${itemCode} (QA ${qaStatus})`;
    }
    case 'tracker.production.lot-qa-changed.v1':
      return `Lot ${event.data.lotId} QA ${event.data.qaStatus}`;
    case 'tracker.production.allocated.v1': {
      const { quantity, lotId, pledgeId } = event.data;
      return `${n(quantity)} from lot ${lotId} allocated to pledge ${pledgeId}`;
    }
    case 'tracker.shipment.dispatched.v1': {
      const { quantity, itemCode, origin, destination } = event.data;
      return `${n(quantity)} ${itemCode} dispatched from ${origin} to ${destination}`;
    }
    case 'tracker.shipment.milestone.v1':
      return `Shipment ${event.data.shipmentId} ${event.data.status}${event.data.location ? ` at ${event.data.location}` : ''}`;
    case 'tracker.shipment.delivered.v1': {
      const { shipmentId, receivedQuantity, acceptedQuantity } = event.data;
      return `Shipment ${shipmentId} received: ${n(receivedQuantity)}, accepted ${n(acceptedQuantity)}`;
    }
    case 'tracker.shipment.delivery-corrected.v1': {
      const { shipmentId, receivedQuantity, acceptedQuantity, reason } = event.data;
      return `Shipment ${shipmentId} receipt corrected: received ${n(receivedQuantity)}, accepted ${n(acceptedQuantity)} (${reason})`;
    }
    case 'tracker.shipment.lost.v1':
      return `Shipment ${event.data.shipmentId} lost ${n(event.data.quantity)}: ${event.data.reason}`;
    case 'tracker.stockpile.level-reported.v1': {
      const { nation, quantity, itemCode } = event.data;
      return `${nation} holds ${n(quantity)} ${itemCode}`;
    }
    case 'tracker.alert.raised.v1':
      return event.data.message;
    case 'tracker.alert.cleared.v1':
      return `Alert ${event.data.alertId} cleared: ${event.data.reason}`;
  }
}

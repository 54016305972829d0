/**
 * The demo's EPCIS 2.0 documents: a dispatch as a `shipping` ObjectEvent, a receipt as a
 * `receiving` ObjectEvent (with `inspecting` events when part of it is rejected), following the
 * mapping of apps/shipment-service/README.md ("EPCIS 2.0 capture"). Pure: the same step always
 * gives the same document, event ids included, so a replayed capture is recognised.
 */
import type { ShipmentDeliveredV1, ShipmentDispatchedV1 } from '@tracker/contracts';

/** An EPCIS 2.0 `EPCISDocument`, as JSON. */
export interface EpcisDocument {
  readonly '@context': readonly unknown[];
  readonly type: 'EPCISDocument';
  readonly schemaVersion: '2.0';
  readonly creationDate: string;
  readonly epcisBody: { readonly eventList: readonly Record<string, unknown>[] };
}

const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];
const DESPATCH_ADVICE = 'urn:epcglobal:cbv:btt:desadv';
const PLEDGE = 'urn:tracker:btt:pledge';

/** Rejection reasons an `inspecting` disposition can say; `incompatible` has none. */
const INSPECTION_DISPOSITIONS = { damaged: 'damaged', quality: 'non_conformant' } as const;

/**
 * A place of the story as a location URI (EPCIS identifies places by URI, not by name):
 * `Unterlüß, DE` → `urn:tracker:place:unterluss-de`. The tracker records it as written.
 */
export function placeUri(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  return `urn:tracker:place:${slug}`;
}

/** EPCIS wants an explicit offset; the story's times are UTC. */
function eventTime(time: string): { eventTime: string; eventTimeZoneOffset: string } {
  return { eventTime: time.replace(/Z$/, '+00:00'), eventTimeZoneOffset: '+00:00' };
}

function document(creationDate: string, events: Record<string, unknown>[]): EpcisDocument {
  return {
    '@context': CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate,
    epcisBody: { eventList: events },
  };
}

const shipmentAdvice = (shipmentId: string) => ({
  type: DESPATCH_ADVICE,
  bizTransaction: `urn:tracker:shipment:${shipmentId}`,
});

/**
 * The quantity list of a dispatch: the units spread over its lots (`urn:tracker:lot:<lotId>`,
 * the first lot taking the remainder), or the item (`urn:tracker:item:<code>`) for a donor's
 * shipment from stock, which cites no lots.
 */
function dispatchQuantities(dispatch: ShipmentDispatchedV1): Record<string, unknown>[] {
  const lots = dispatch.lotIds ?? [];
  if (lots.length === 0) {
    return [{ epcClass: `urn:tracker:item:${dispatch.itemCode}`, quantity: dispatch.quantity }];
  }
  const share = Math.floor(dispatch.quantity / lots.length);
  return lots.map((lotId, index) => ({
    epcClass: `urn:tracker:lot:${lotId}`,
    quantity: index === 0 ? dispatch.quantity - share * (lots.length - 1) : share,
  }));
}

/**
 * A dispatch as one `shipping` ObjectEvent. EPCIS carries the figures (pledge, quantity, lots,
 * item, time, places); the tracker's mapping has no `eta` or `carrier`, so the shipment is
 * recorded without them.
 */
export function dispatchDocument(dispatch: ShipmentDispatchedV1, eventId: string): EpcisDocument {
  return document(dispatch.dispatchedAt, [
    {
      type: 'ObjectEvent',
      ...eventTime(dispatch.dispatchedAt),
      eventID: eventId,
      action: 'OBSERVE',
      bizStep: 'shipping',
      disposition: 'in_transit',
      readPoint: { id: placeUri(dispatch.origin) },
      bizTransactionList: [
        shipmentAdvice(dispatch.shipmentId),
        { type: PLEDGE, bizTransaction: `urn:tracker:pledge:${dispatch.pledgeId}` },
      ],
      sourceList: [{ type: 'location', source: placeUri(dispatch.origin) }],
      destinationList: [{ type: 'location', destination: placeUri(dispatch.destination) }],
      quantityList: dispatchQuantities(dispatch),
    },
  ]);
}

/** True when EPCIS can say this receipt: its rejection reason, if any, has a disposition. */
export function receiptExpressible(delivery: ShipmentDeliveredV1): boolean {
  const rejected = delivery.receivedQuantity - delivery.acceptedQuantity;
  return rejected === 0 || delivery.rejectionReason !== 'incompatible';
}

/**
 * A receipt: all accepted is one `receiving` event, disposition `conformant`; with rejects, a
 * `receiving` event `in_progress` for what arrived, then `inspecting` events for what was
 * accepted (`conformant`) and rejected (`damaged`, or `non_conformant` for quality).
 */
export function receiptDocument(
  delivery: ShipmentDeliveredV1,
  itemCode: string,
  place: string,
  eventIdPrefix: string,
): EpcisDocument {
  const rejected = delivery.receivedQuantity - delivery.acceptedQuantity;
  const event = (index: number, bizStep: string, disposition: string, quantity: number) => ({
    type: 'ObjectEvent',
    ...eventTime(delivery.receivedAt),
    eventID: `${eventIdPrefix}:${index}`,
    action: 'OBSERVE',
    bizStep,
    disposition,
    readPoint: { id: placeUri(place) },
    bizLocation: { id: placeUri(place) },
    bizTransactionList: [shipmentAdvice(delivery.shipmentId)],
    quantityList: [{ epcClass: `urn:tracker:item:${itemCode}`, quantity }],
  });
  if (rejected === 0) {
    return document(delivery.receivedAt, [
      event(0, 'receiving', 'conformant', delivery.receivedQuantity),
    ]);
  }
  const reason = delivery.rejectionReason;
  if (reason === undefined || reason === 'incompatible') {
    throw new Error(`EPCIS has no disposition for rejection reason ${String(reason)}`);
  }
  const events = [event(0, 'receiving', 'in_progress', delivery.receivedQuantity)];
  if (delivery.acceptedQuantity > 0) {
    events.push(event(1, 'inspecting', 'conformant', delivery.acceptedQuantity));
  }
  events.push(event(2, 'inspecting', INSPECTION_DISPOSITIONS[reason], rejected));
  return document(delivery.receivedAt, events);
}

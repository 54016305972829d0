// Golden EPCIS 2.0 documents in the shapes of GS1's published examples (JSON-LD context, EPC
// URNs for logistic units and LGTIN classes, SGLN read points, CBV values in bare, URN and Web
// URI forms), written here for the tracker's mapping: one per business step it maps. Shared by
// the mapper's unit spec and the capture integration spec, which fills in ids of its own.

import { randomInt, randomUUID } from 'node:crypto';

/** What a document is about: the shipment (an SSCC), its pledge, a lot and how many units. */
export interface ExampleShipment {
  /** `urn:epc:id:sscc:<company prefix>.<serial reference>`: the tracker's shipment id. */
  readonly sscc: string;
  readonly pledgeId: string;
  readonly lotId: string;
  readonly quantity: number;
  /** When the first event happened; later steps follow at one-hour steps. */
  readonly at: Date;
}

/** A fresh SSCC in EPC URN form, unique enough for a test run. */
export function anSscc(): string {
  const serial = `${randomInt(1e9)}`.padStart(9, '0');
  return `urn:epc:id:sscc:4012345.0${serial}`;
}

export function anExampleShipment(overrides: Partial<ExampleShipment> = {}): ExampleShipment {
  return {
    sscc: anSscc(),
    pledgeId: `PLG-EPCIS-${randomInt(1e9)}`,
    lotId: `LOT-EPCIS-${randomInt(1e9)}`,
    quantity: 2400,
    at: new Date(Date.now() - 6 * 3_600_000),
    ...overrides,
  };
}

const CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { tracker: 'https://tracker.example.org/epcis/' },
];

const UNTERLUESS = 'urn:epc:id:sgln:4012345.00001.0';
const RZESZOW = 'urn:epc:id:sgln:5901234.00007.0';
const BORDER_HUB = 'urn:epc:id:sgln:5901234.00003.0';

function hoursAfter(at: Date, hours: number): string {
  return new Date(at.getTime() + hours * 3_600_000).toISOString().replace('Z', '+00:00');
}

/** An LGTIN class in EPC URN form whose lot part is the tracker's lot id. */
export function lgtin(lotId: string): string {
  return `urn:epc:class:lgtin:4012345.012345.${encodeURIComponent(lotId)}`;
}

/** An EPCIS 2.0 document around `events`. */
export function epcisDocument(...events: Record<string, unknown>[]): Record<string, unknown> {
  return {
    '@context': CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: events },
  };
}

function eventId(): string {
  return `urn:uuid:${randomUUID()}`;
}

/** Shipping, ObjectEvent: the logistic unit leaves Unterlüß with its lot, for the pledge. */
export function shippingEvent(s: ExampleShipment): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: hoursAfter(s.at, 0),
    eventTimeZoneOffset: '+01:00',
    eventID: eventId(),
    epcList: [s.sscc],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: UNTERLUESS },
    bizTransactionList: [
      { type: 'urn:tracker:btt:pledge', bizTransaction: `urn:tracker:pledge:${s.pledgeId}` },
    ],
    sourceList: [{ type: 'location', source: UNTERLUESS }],
    destinationList: [{ type: 'location', destination: RZESZOW }],
    quantityList: [{ epcClass: lgtin(s.lotId), quantity: s.quantity }],
  };
}

/** Departing, TransactionEvent: the despatch advice names the shipment; CBV values as URNs. */
export function departingEvent(s: ExampleShipment): Record<string, unknown> {
  return {
    type: 'TransactionEvent',
    eventTime: hoursAfter(s.at, 0),
    eventTimeZoneOffset: '+01:00',
    eventID: eventId(),
    action: 'ADD',
    bizStep: 'urn:epcglobal:cbv:bizstep:departing',
    disposition: 'urn:epcglobal:cbv:disp:in_transit',
    readPoint: { id: UNTERLUESS },
    bizLocation: { id: UNTERLUESS },
    bizTransactionList: [
      { type: 'urn:epcglobal:cbv:btt:desadv', bizTransaction: `urn:tracker:shipment:${s.sscc}` },
      { type: 'urn:tracker:btt:pledge', bizTransaction: `urn:tracker:pledge:${s.pledgeId}` },
    ],
    destinationList: [{ type: 'urn:epcglobal:cbv:sdt:location', destination: RZESZOW }],
    quantityList: [{ epcClass: `urn:tracker:lot:${s.lotId}`, quantity: s.quantity, uom: 'EA' }],
  };
}

/** Shipping, AggregationEvent: the lot is packed into the logistic unit and shipped. */
export function aggregationShippingEvent(s: ExampleShipment): Record<string, unknown> {
  return {
    type: 'AggregationEvent',
    eventTime: hoursAfter(s.at, 0),
    eventTimeZoneOffset: '+01:00',
    eventID: eventId(),
    parentID: s.sscc,
    childQuantityList: [{ epcClass: lgtin(s.lotId), quantity: s.quantity }],
    action: 'ADD',
    bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
    disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
    readPoint: { id: UNTERLUESS },
    bizTransactionList: [
      { type: 'urn:tracker:btt:pledge', bizTransaction: `urn:tracker:pledge:${s.pledgeId}` },
    ],
    sourceList: [{ type: 'location', source: UNTERLUESS }],
    destinationList: [{ type: 'location', destination: RZESZOW }],
  };
}

/** Arriving, ObjectEvent: the unit reaches the border hub (milestone named by extension). */
export function arrivingEvent(
  s: ExampleShipment,
  milestone = 'border-crossed',
): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: hoursAfter(s.at, 1),
    eventTimeZoneOffset: '+01:00',
    eventID: eventId(),
    epcList: [s.sscc],
    action: 'OBSERVE',
    bizStep: 'arriving',
    disposition: 'in_transit',
    readPoint: { id: BORDER_HUB },
    bizLocation: { id: BORDER_HUB },
    'tracker:milestone': milestone,
  };
}

/** Receiving, ObjectEvent: the recipient takes the unit in; `conformant` accepts it all. */
export function receivingEvent(
  s: ExampleShipment,
  disposition = 'conformant',
  quantity = s.quantity,
): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: hoursAfter(s.at, 2),
    eventTimeZoneOffset: '+02:00',
    eventID: eventId(),
    epcList: [s.sscc],
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition,
    readPoint: { id: RZESZOW },
    bizLocation: { id: RZESZOW },
    quantityList: [{ epcClass: lgtin(s.lotId), quantity }],
  };
}

/** Inspecting, ObjectEvent: part of what was received judged conformant, damaged, … */
export function inspectingEvent(
  s: ExampleShipment,
  disposition: string,
  quantity: number,
): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: hoursAfter(s.at, 3),
    eventTimeZoneOffset: '+02:00',
    eventID: eventId(),
    epcList: [s.sscc],
    action: 'OBSERVE',
    bizStep: 'inspecting',
    disposition,
    readPoint: { id: RZESZOW },
    quantityList: [{ epcClass: lgtin(s.lotId), quantity }],
  };
}

/** Destroying, ObjectEvent: units of the shipment destroyed on the way (a loss). */
export function destroyingEvent(s: ExampleShipment, quantity: number): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: hoursAfter(s.at, 1),
    eventTimeZoneOffset: '+01:00',
    eventID: eventId(),
    epcList: [s.sscc],
    action: 'DELETE',
    bizStep: 'destroying',
    disposition: 'destroyed',
    readPoint: { id: BORDER_HUB },
    quantityList: [{ epcClass: lgtin(s.lotId), quantity }],
  };
}

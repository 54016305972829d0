import { EpcisDocument } from './epcis-document.schema';
import {
  aggregationShippingEvent,
  anExampleShipment,
  arrivingEvent,
  departingEvent,
  destroyingEvent,
  epcisDocument,
  inspectingEvent,
  receivingEvent,
  shippingEvent,
} from './epcis.examples';
import { mapDocument, MappedDocument } from './epcis.mapper';

const clock = { now: Date.now(), maxClockSkewMs: 300_000 };

function mapped(...events: Record<string, unknown>[]): MappedDocument {
  return mapDocument(EpcisDocument.parse(epcisDocument(...events)), clock);
}

function commands(...events: Record<string, unknown>[]) {
  const result = mapped(...events);
  expect(result.refusals).toEqual([]);
  return result.events.map(({ command }) => command);
}

describe('mapDocument (EPCIS event → tracker command)', () => {
  const s = anExampleShipment();

  it('shipping ObjectEvent → dispatch: SSCC as shipment, pledge, LGTIN lot, places', () => {
    expect(commands(shippingEvent(s))).toEqual([
      {
        kind: 'dispatch',
        dispatch: {
          shipmentId: s.sscc,
          pledgeId: s.pledgeId,
          quantity: s.quantity,
          origin: 'urn:epc:id:sgln:4012345.00001.0',
          destination: 'urn:epc:id:sgln:5901234.00007.0',
          dispatchedAt: expect.any(String) as string,
          lotIds: [s.lotId],
        },
      },
    ]);
  });

  it('departing TransactionEvent with URN vocabulary → departure: the dispatch of the despatch advice, or a milestone', () => {
    const [command] = commands(departingEvent(s));
    expect(command).toMatchObject({
      kind: 'departure',
      dispatch: { shipmentId: s.sscc, pledgeId: s.pledgeId, lotIds: [s.lotId] },
      milestone: {
        shipmentId: s.sscc,
        status: 'in-transit',
        location: 'urn:epc:id:sgln:4012345.00001.0',
      },
    });
  });

  it('shipping AggregationEvent with Web URI vocabulary → dispatch of the parent', () => {
    const [command] = commands(aggregationShippingEvent(s));
    expect(command).toMatchObject({
      kind: 'dispatch',
      dispatch: { shipmentId: s.sscc, pledgeId: s.pledgeId, quantity: s.quantity },
    });
  });

  it('departing without a pledge → milestone in-transit at the read point', () => {
    const { bizTransactionList: _btt, ...event } = departingEvent(s);
    const [command] = commands({
      ...event,
      type: 'ObjectEvent',
      epcList: [s.sscc],
      action: 'OBSERVE',
    });
    expect(command).toMatchObject({
      kind: 'milestone',
      milestone: { shipmentId: s.sscc, status: 'in-transit' },
    });
  });

  it('arriving → milestone named by tracker:milestone (at-hub when none)', () => {
    const { 'tracker:milestone': _m, ...plain } = arrivingEvent(s);
    expect(commands(arrivingEvent(s), plain)).toMatchObject([
      {
        kind: 'milestone',
        milestone: { status: 'border-crossed', location: 'urn:epc:id:sgln:5901234.00003.0' },
      },
      { kind: 'milestone', milestone: { status: 'at-hub' } },
    ]);
  });

  it.each([
    ['conformant', { acceptedQuantity: 2400, rejectedQuantity: 0 }],
    ['non_conformant', { acceptedQuantity: 0, rejectedQuantity: 2400, rejectionReason: 'quality' }],
    [
      'urn:epcglobal:cbv:disp:damaged',
      { acceptedQuantity: 0, rejectedQuantity: 2400, rejectionReason: 'damaged' },
    ],
  ])('receiving %s → receipt', (disposition, figures) => {
    expect(commands(receivingEvent(s, disposition))).toEqual([
      {
        kind: 'receipt',
        receipt: {
          shipmentId: s.sscc,
          receivedQuantity: 2400,
          receivedAt: expect.any(String) as string,
          ...figures,
        },
      },
    ]);
  });

  it('receiving in_progress, then inspecting → one receipt of accepted and rejected parts', () => {
    expect(
      commands(
        receivingEvent(s, 'in_progress'),
        inspectingEvent(s, 'conformant', 2300),
        inspectingEvent(s, 'damaged', 100),
      ),
    ).toEqual([
      {
        kind: 'receipt',
        receipt: expect.objectContaining({
          receivedQuantity: 2400,
          acceptedQuantity: 2300,
          rejectedQuantity: 100,
          rejectionReason: 'damaged',
        }) as object,
      },
      { kind: 'inspection', into: 0 },
      { kind: 'inspection', into: 0 },
    ]);
  });

  it('destroying, and a stolen disposition → loss', () => {
    expect(
      commands(destroyingEvent(s, 50), {
        ...arrivingEvent(s),
        disposition: 'stolen',
        quantityList: [{ epcClass: 'urn:tracker:item:AMMO-155MM', quantity: 7 }],
      }),
    ).toMatchObject([
      {
        kind: 'loss',
        loss: { shipmentId: s.sscc, quantity: 50, reason: 'EPCIS destroying: destroyed' },
      },
      { kind: 'loss', loss: { shipmentId: s.sscc, quantity: 7, reason: 'EPCIS arriving: stolen' } },
    ]);
  });

  it('a donor ships an item from stock: the item class names the item, no lots', () => {
    const [command] = commands({
      ...shippingEvent(s),
      quantityList: [{ epcClass: 'urn:tracker:item:AMMO-155MM', quantity: 300 }],
    });
    expect(command).toMatchObject({
      kind: 'dispatch',
      dispatch: { itemCode: 'AMMO-155MM', quantity: 300 },
    });
    expect(command).not.toHaveProperty('dispatch.lotIds');
  });

  it('an admin names the producer it dispatches for as the owning party', () => {
    const event = shippingEvent(s);
    const [command] = commands({
      ...event,
      sourceList: [
        ...(event.sourceList as object[]),
        { type: 'owning_party', source: 'urn:tracker:producer:nammo' },
      ],
    });
    expect(command).toMatchObject({ kind: 'dispatch', producer: 'nammo' });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'a shipping event without a pledge',
      { ...shippingEvent(s), bizTransactionList: [] },
      'pledge-missing',
      'bizTransactionList',
    ],
    [
      'a dispatch without a destination',
      { ...shippingEvent(s), destinationList: [] },
      'destination-missing',
      'destinationList',
    ],
    [
      'an unmapped business step',
      { ...shippingEvent(s), bizStep: 'packing' },
      'biz-step-not-mapped',
      'bizStep',
    ],
    [
      'a dispatch marked damaged',
      { ...shippingEvent(s), disposition: 'damaged' },
      'disposition-not-mapped',
      'disposition',
    ],
    [
      'a fractional quantity',
      { ...shippingEvent(s), quantityList: [{ epcClass: 'urn:tracker:lot:L', quantity: 1.5 }] },
      'quantity-invalid',
      'quantityList[0].quantity',
    ],
    [
      'a weight',
      {
        ...shippingEvent(s),
        quantityList: [{ epcClass: 'urn:tracker:lot:L', quantity: 5, uom: 'KGM' }],
      },
      'unit-not-counted',
      'quantityList[0].uom',
    ],
    [
      'instance EPCs besides the unit',
      { ...shippingEvent(s), epcList: [s.sscc, 'urn:epc:id:sgtin:4012345.011111.1'] },
      'instance-epc-not-counted',
      'epcList',
    ],
    ['no shipment', { ...shippingEvent(s), epcList: [] }, 'shipment-missing', 'epcList'],
    [
      'an event from the future',
      { ...arrivingEvent(s), eventTime: new Date(Date.now() + 3_600_000).toISOString() },
      'event-time-in-future',
      'eventTime',
    ],
    [
      'an unknown milestone',
      { ...arrivingEvent(s), 'tracker:milestone': 'lost-at-sea' },
      'milestone-not-mapped',
      'tracker:milestone',
    ],
    [
      'an inspection with nothing received',
      inspectingEvent(s, 'conformant', 5),
      'inspection-without-receipt',
      'bizStep',
    ],
    [
      'a receipt never judged',
      receivingEvent(s, 'in_progress'),
      'receipt-not-judged',
      'disposition',
    ],
    [
      'a receipt of nothing',
      receivingEvent(s, 'conformant', 0),
      'quantity-missing',
      'quantityList',
    ],
  ])('refuses %s as a ValidationException naming the rule', (_case, event, rule, field) => {
    const refused = { ...event, eventID: 'urn:uuid:00000000-0000-4000-8000-000000000001' };
    expect(mapped(shippingEvent(s), refused)).toMatchObject({
      events: [{ index: 0 }],
      refusals: [
        {
          index: 1,
          eventID: 'urn:uuid:00000000-0000-4000-8000-000000000001',
          errorType: 'ValidationException',
          rule,
          field,
        },
      ],
    });
  });

  it('refuses TransformationEvents: not a shipment fact', () => {
    const transformation = {
      type: 'TransformationEvent',
      eventTime: '2024-05-02T10:00:00.000+02:00',
      eventTimeZoneOffset: '+02:00',
      inputQuantityList: [{ epcClass: 'urn:tracker:lot:L', quantity: 5 }],
    };
    expect(mapped(transformation).refusals).toMatchObject([
      { index: 0, rule: 'event-type-not-mapped' },
    ]);
  });
});

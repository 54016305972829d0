import { fieldsOf } from '@tracker/http';
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

/** The fields a document's violations name, as the 400 answer lists them. */
function refusedFields(document: unknown): string[] {
  const result = EpcisDocument.safeParse(document);
  return result.success ? [] : fieldsOf(result.error.issues).map(({ field }) => field);
}

describe('EpcisDocument (EPCIS 2.0 structure)', () => {
  const s = anExampleShipment();

  it.each([
    ['shipping (ObjectEvent)', shippingEvent(s)],
    ['departing (TransactionEvent)', departingEvent(s)],
    ['shipping (AggregationEvent)', aggregationShippingEvent(s)],
    ['arriving', arrivingEvent(s)],
    ['receiving', receivingEvent(s)],
    ['inspecting', inspectingEvent(s, 'damaged', 10)],
    ['destroying', destroyingEvent(s, 5)],
  ])('accepts the golden %s document', (_step, event) => {
    expect(refusedFields(epcisDocument(event))).toEqual([]);
  });

  it('keeps extension fields of events and of the document', () => {
    const parsed = EpcisDocument.parse({
      ...epcisDocument(arrivingEvent(s)),
      'example:batch': 'B-1',
    });
    expect(parsed['example:batch']).toBe('B-1');
    expect(parsed.epcisBody.eventList[0]['tracker:milestone']).toBe('border-crossed');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no document type', { type: 'EPCISQueryDocument' }, 'type'],
    ['an EPCIS 1.2 schema version', { schemaVersion: '1.2' }, 'schemaVersion'],
    [
      'a creation date without a time zone',
      { creationDate: '2024-05-02T10:00:00' },
      'creationDate',
    ],
    ['an empty event list', { epcisBody: { eventList: [] } }, 'epcisBody.eventList'],
  ])('refuses %s, naming the field', (_case, change, field) => {
    expect(refusedFields({ ...epcisDocument(shippingEvent(s)), ...change })).toContain(field);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown event type', { type: 'ShippingEvent' }, 'epcisBody.eventList[0].type'],
    ['an action outside ADD, OBSERVE, DELETE', { action: 'SHIP' }, 'epcisBody.eventList[0].action'],
    [
      'a bad time zone offset',
      { eventTimeZoneOffset: '1h' },
      'epcisBody.eventList[0].eventTimeZoneOffset',
    ],
    [
      'an EPC that is not a URI',
      { epcList: ['0614141 107346'] },
      'epcisBody.eventList[0].epcList[0]',
    ],
    [
      'a negative quantity',
      { quantityList: [{ epcClass: 'urn:tracker:lot:L-1', quantity: -1 }] },
      'epcisBody.eventList[0].quantityList[0].quantity',
    ],
    [
      'an ObjectEvent with no what',
      { epcList: [], quantityList: [] },
      'epcisBody.eventList[0].epcList',
    ],
  ])('refuses an event with %s, naming the field', (_case, change, field) => {
    expect(refusedFields(epcisDocument({ ...shippingEvent(s), ...change }))).toContain(field);
  });

  it('refuses a TransactionEvent without business transactions', () => {
    expect(
      refusedFields(epcisDocument({ ...departingEvent(s), bizTransactionList: [] })),
    ).toContain('epcisBody.eventList[0].bizTransactionList');
  });

  it('refuses an AggregationEvent ADD without its parent', () => {
    const { parentID: _parent, ...event } = aggregationShippingEvent(s);
    expect(refusedFields(epcisDocument(event))).toContain('epcisBody.eventList[0].parentID');
  });
});

import { z } from 'zod';

// The structure of an EPCIS 2.0 capture document (GS1 EPCIS 2.0, JSON / JSON-LD binding), as the
// tracker reads it: the document envelope, the five event types and the fields of the what,
// where, when and why dimensions. Written here from the standard; extension fields (namespaced
// keys such as `example:note` or `tracker:milestone`) are kept, as EPCIS allows them anywhere.
// What the fields mean to the tracker is the mapper's business (epcis.mapper.ts).

/** Most events one capture document may carry (a capture limit in the sense of EPCIS). */
export const MAX_EVENTS_PER_CAPTURE = 500;

const uriRule = 'must be a URI (scheme:rest), e.g. urn:epc:id:sscc:4012345.0000000001';
/** An identifier in URI form: EPC URNs, GS1 Digital Link URIs, CBV and private URNs. */
const Uri = z
  .string(uriRule)
  .max(2048, uriRule)
  .regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, uriRule);

/** A CBV code or a private vocabulary URI: `shipping`, `urn:epcglobal:cbv:bizstep:shipping`. */
const VocabularyValue = z
  .string('must be a CBV value or a URI')
  .min(1, 'must be a CBV value or a URI')
  .max(512, 'must be at most 512 characters');

const DateTime = z.iso.datetime({
  offset: true,
  message: 'must be an RFC 3339 date-time with a time zone, e.g. 2024-05-02T08:15:00.000+02:00',
});

const TimeZoneOffset = z
  .string('must be a time zone offset ±hh:mm')
  .regex(/^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$/, 'must be a time zone offset ±hh:mm');

const Action = z.enum(['ADD', 'OBSERVE', 'DELETE'], 'must be ADD, OBSERVE or DELETE');

/** A class-level quantity: how much of a class (an LGTIN lot, a GTIN pattern) was seen. */
export const QuantityElement = z.looseObject({
  epcClass: Uri,
  quantity: z.number('must be a number').nonnegative('must not be negative').optional(),
  uom: z
    .string()
    .regex(/^[A-Z0-9]{2,3}$/, 'must be a UN/ECE Rec 20 unit code, e.g. EA, KGM')
    .optional(),
});
export type QuantityElement = z.infer<typeof QuantityElement>;

const Location = z.looseObject({ id: Uri });

const BizTransaction = z.looseObject({
  type: VocabularyValue.optional(),
  bizTransaction: Uri,
});
export type BizTransaction = z.infer<typeof BizTransaction>;

const Source = z.looseObject({ type: VocabularyValue, source: Uri });
const Destination = z.looseObject({ type: VocabularyValue, destination: Uri });

const ErrorDeclaration = z.looseObject({
  declarationTime: DateTime,
  reason: VocabularyValue.optional(),
  correctiveEventIDs: z.array(Uri).optional(),
});

/** Fields every EPCIS event has: when, where, why, and its identity. */
const eventBase = {
  eventTime: DateTime,
  eventTimeZoneOffset: TimeZoneOffset,
  recordTime: DateTime.optional(),
  eventID: Uri.optional(),
  certificationInfo: z.union([Uri, z.array(Uri)]).optional(),
  errorDeclaration: ErrorDeclaration.optional(),
  bizStep: VocabularyValue.optional(),
  disposition: VocabularyValue.optional(),
  persistentDisposition: z
    .looseObject({ set: z.array(VocabularyValue), unset: z.array(VocabularyValue) })
    .partial()
    .optional(),
  readPoint: Location.optional(),
  bizLocation: Location.optional(),
  bizTransactionList: z.array(BizTransaction).optional(),
  sourceList: z.array(Source).optional(),
  destinationList: z.array(Destination).optional(),
  sensorElementList: z.array(z.looseObject({})).optional(),
};

const noWhat = 'must list at least one EPC or quantity (epcList or quantityList)';

export const ObjectEvent = z
  .looseObject({
    type: z.literal('ObjectEvent'),
    ...eventBase,
    action: Action,
    epcList: z.array(Uri).optional(),
    quantityList: z.array(QuantityElement).optional(),
    ilmd: z.looseObject({}).optional(),
  })
  .refine((event) => (event.epcList?.length ?? 0) + (event.quantityList?.length ?? 0) > 0, {
    message: noWhat,
    path: ['epcList'],
  });

export const AggregationEvent = z
  .looseObject({
    type: z.literal('AggregationEvent'),
    ...eventBase,
    action: Action,
    parentID: Uri.optional(),
    childEPCs: z.array(Uri).optional(),
    childQuantityList: z.array(QuantityElement).optional(),
  })
  .refine((event) => event.action === 'OBSERVE' || event.parentID !== undefined, {
    message: 'is required when action is ADD or DELETE',
    path: ['parentID'],
  });

export const TransactionEvent = z.looseObject({
  type: z.literal('TransactionEvent'),
  ...eventBase,
  action: Action,
  bizTransactionList: z.array(BizTransaction).min(1, 'must name at least one business transaction'),
  parentID: Uri.optional(),
  epcList: z.array(Uri).optional(),
  quantityList: z.array(QuantityElement).optional(),
});

/** Read for its structure only: the tracker maps no transformation to a shipment fact. */
export const TransformationEvent = z.looseObject({
  type: z.literal('TransformationEvent'),
  ...eventBase,
  inputEPCList: z.array(Uri).optional(),
  inputQuantityList: z.array(QuantityElement).optional(),
  outputEPCList: z.array(Uri).optional(),
  outputQuantityList: z.array(QuantityElement).optional(),
  transformationID: Uri.optional(),
});

/** Read for its structure only: associations of physical objects are not shipment facts. */
export const AssociationEvent = z.looseObject({
  type: z.literal('AssociationEvent'),
  ...eventBase,
  action: Action,
  parentID: Uri.optional(),
  childEPCs: z.array(Uri).optional(),
  childQuantityList: z.array(QuantityElement).optional(),
});

export const EpcisEvent = z.discriminatedUnion('type', [
  ObjectEvent,
  AggregationEvent,
  TransactionEvent,
  TransformationEvent,
  AssociationEvent,
]);
export type EpcisEvent = z.infer<typeof EpcisEvent>;

const Context = z.union([
  z.string().min(1),
  z.array(z.union([z.string().min(1), z.record(z.string(), z.unknown())])),
  z.record(z.string(), z.unknown()),
]);

/**
 * An EPCIS 2.0 document as `POST /epcis/capture` takes it (JSON or JSON-LD): `type`
 * `EPCISDocument`, `schemaVersion` 2.0, `creationDate`, and the events in `epcisBody.eventList`.
 */
export const EpcisDocument = z.looseObject({
  '@context': Context.optional(),
  id: Uri.optional(),
  type: z.literal('EPCISDocument', 'must be EPCISDocument'),
  schemaVersion: z
    .string('must be "2.0"')
    .regex(/^2\.0(\.\d+)?$/, 'must be "2.0": this is an EPCIS 2.0 capture interface'),
  creationDate: DateTime,
  instanceIdentifier: z.string().optional(),
  sender: z.string().optional(),
  receiver: z.string().optional(),
  epcisHeader: z.looseObject({}).optional(),
  epcisBody: z.looseObject({
    eventList: z
      .array(EpcisEvent)
      .min(1, 'must hold at least one event')
      .max(
        MAX_EVENTS_PER_CAPTURE,
        `must hold at most ${MAX_EVENTS_PER_CAPTURE} events (a capture limit of this service)`,
      ),
  }),
});
export type EpcisDocument = z.infer<typeof EpcisDocument>;

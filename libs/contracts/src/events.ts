import { z } from 'zod';
import { alertEventTypesV1 } from './alert.v1';
import { rule } from './common';
import { dataSchemaAttribute, envelopeAttributes, EventTypeDefinition } from './envelope';
import { pledgeEventTypesV1 } from './pledge.v1';
import { productionEventTypesV1 } from './production.v1';
import { programmeEventTypesV1 } from './programme.v1';
import { shipmentEventTypesV1 } from './shipment.v1';
import { stockpileEventTypesV1 } from './stockpile.v1';

/** Every event type of DESIGN §3, in topic order. */
export const EVENT_TYPE_DEFINITIONS = [
  ...pledgeEventTypesV1,
  ...programmeEventTypesV1,
  ...productionEventTypesV1,
  ...shipmentEventTypesV1,
  ...stockpileEventTypesV1,
  ...alertEventTypesV1,
] as const;

type Definitions = (typeof EVENT_TYPE_DEFINITIONS)[number];

/** `tracker.<entity>.<event>.v<major>` of every known event. */
export type EventType = Definitions['type'];

/** Any event of the tracker, discriminated on `type`. */
export type TrackerEvent = z.infer<Definitions['event']>;

/** The event of one type. */
export type EventOf<T extends EventType> = Extract<TrackerEvent, { type: T }>;

/** The `data` of one event type. */
export type PayloadOf<T extends EventType> = EventOf<T>['data'];

export const EVENT_TYPES = EVENT_TYPE_DEFINITIONS.map((definition) => definition.type) as [
  EventType,
  ...EventType[],
];

const definitionsByType = new Map<string, EventTypeDefinition>(
  EVENT_TYPE_DEFINITIONS.map((definition) => [definition.type, definition]),
);

/** The definition of a known event type, or undefined. */
export function eventTypeDefinition(type: unknown): EventTypeDefinition | undefined {
  return typeof type === 'string' ? definitionsByType.get(type) : undefined;
}

/** True for a string that names a known event type. */
export function isEventType(type: unknown): type is EventType {
  return eventTypeDefinition(type) !== undefined;
}

/**
 * The envelope of any event, whatever its type: what docs/schemas/envelope.json describes.
 * Unknown (extension) attributes are accepted and dropped.
 */
export const Envelope = z.object(
  {
    specversion: envelopeAttributes.specversion,
    id: envelopeAttributes.id,
    source: envelopeAttributes.source,
    type: z.enum(EVENT_TYPES, rule('must be a known tracker event type')),
    subject: envelopeAttributes.subject,
    time: envelopeAttributes.time,
    datacontenttype: envelopeAttributes.datacontenttype,
    dataschema: dataSchemaAttribute(),
    partitionkey: envelopeAttributes.partitionkey,
    data: z
      .object({}, rule('must be a JSON object'))
      .loose()
      .describe('The payload; `dataschema` names its JSON Schema.'),
  },
  rule('must be a JSON object'),
);
export type Envelope = z.infer<typeof Envelope>;

import { z } from 'zod';
import { attribute, rule, Timestamp } from './common';

/** CloudEvents version every event declares. */
export const SPEC_VERSION = '1.0';
/** Kafka `content-type` header of a CloudEvents structured-mode message. */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';
/** Name of the Kafka header that carries {@link CLOUDEVENTS_CONTENT_TYPE}. */
export const CONTENT_TYPE_HEADER = 'content-type';
/** `datacontenttype` of every event: `data` is a JSON object. */
export const DATA_CONTENT_TYPE = 'application/json';
/**
 * Where the JSON Schemas live. The host is a reserved `.example` name on purpose: the URI is an
 * identifier (the `$id` of the documents in docs/schemas), not something consumers fetch.
 */
export const SCHEMA_BASE_URI = 'https://tracker.example/schemas/';
/** `$id` of the envelope's JSON Schema (docs/schemas/envelope.json). */
export const ENVELOPE_SCHEMA_URI = `${SCHEMA_BASE_URI}envelope.json`;

/** The `dataschema` of an event type: the `$id` of its payload's JSON Schema. */
export function dataSchemaUri(type: string): string {
  return `${SCHEMA_BASE_URI}${type}.json`;
}

/** Envelope attributes whose rule does not depend on the event type, in CloudEvents order. */
export const envelopeAttributes = {
  specversion: z.literal(SPEC_VERSION, rule(`must be "${SPEC_VERSION}"`)),
  id: attribute(128).describe('Unique per event (UUID v7 recommended); the dedupe key.'),
  source: attribute(256).describe('URI-reference of the emitter, e.g. /pledge-service.'),
  subject: attribute(128).describe('Id of the entity the event is about.'),
  time: Timestamp.describe('When it happened in the world, not when it was published.'),
  datacontenttype: z.literal(DATA_CONTENT_TYPE, rule(`must be "${DATA_CONTENT_TYPE}"`)),
  partitionkey: attribute(128).describe('The Kafka key: see the topic registry key rule.'),
};

/** The full CloudEvent schema of one event type: envelope with `type`, `dataschema` and `data`. */
export function cloudEvent<TType extends string, TPayload extends z.ZodObject>(
  type: TType,
  data: TPayload,
) {
  const { specversion, id, source, subject, time, datacontenttype, partitionkey } =
    envelopeAttributes;
  const schemaUri = dataSchemaUri(type);
  return z.object(
    {
      specversion,
      id,
      source,
      type: z.literal(type, rule(`must be "${type}"`)),
      subject,
      time,
      datacontenttype,
      dataschema: z.literal(schemaUri, rule(`must be "${schemaUri}"`)),
      partitionkey,
      data,
    },
    rule('must be a JSON object'),
  );
}

type StringFields<T> = { [K in keyof T]-?: T[K] extends string ? K : never }[keyof T] & string;

/** How an event type maps its payload onto the envelope and Kafka. */
export interface EventTypeOptions<TData> {
  /** Payload fields whose values, joined with `:`, form the CloudEvents `subject` (entity id). */
  readonly subject: readonly StringFields<TData>[];
  /** Payload fields whose values, joined with `:`, form `partitionkey` and the Kafka key. */
  readonly key: readonly StringFields<TData>[];
  /** Payload field that says when it happened; `buildEvent` uses it as the default `time`. */
  readonly occurredAt?: StringFields<TData>;
  /** One sentence for the docs and the JSON Schema. */
  readonly description: string;
}

/** Defines an event type: its payload schema, full event schema and envelope mapping. */
export function defineEventType<TType extends string, TPayload extends z.ZodObject>(
  type: TType,
  payload: TPayload,
  options: EventTypeOptions<z.output<TPayload>>,
) {
  return { type, payload, event: cloudEvent(type, payload), ...options };
}

/** Any event type definition, for code that handles them generically. */
export interface EventTypeDefinition {
  readonly type: string;
  readonly payload: z.ZodObject;
  readonly event: z.ZodObject;
  readonly subject: readonly string[];
  readonly key: readonly string[];
  readonly occurredAt?: string;
  readonly description: string;
}

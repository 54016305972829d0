import { z } from 'zod';
import { attribute, rule, TEXT_LIMITS, Timestamp } from './common';

/** CloudEvents version every event declares. */
export const SPEC_VERSION = '1.0';
/** Kafka `content-type` header of a CloudEvents structured-mode message. */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';
/** Name of the Kafka header that carries {@link CLOUDEVENTS_CONTENT_TYPE}. */
export const CONTENT_TYPE_HEADER = 'content-type';
/** `datacontenttype` of every event: `data` is a JSON object. */
export const DATA_CONTENT_TYPE = 'application/json';
/**
 * Base URI of the `dataschema` that `buildEvent` writes unless told otherwise: where the gateway
 * of a one-machine run serves docs/schemas (`/schemas/<file>`). Deployments pass their own.
 */
export const DEFAULT_SCHEMA_BASE_URI = 'http://localhost:3000/schemas/';
/**
 * Base of the `$id`s of the exported JSON Schemas. It is a name, not a location (a reserved
 * `.example` host): the committed documents stay the same wherever they are served, and since
 * every `$id` ends in `/<type>.json` it is itself a valid `dataschema` of its type.
 */
export const SCHEMA_ID_BASE_URI = 'https://tracker.example/schemas/';
/** `$id` of the envelope's JSON Schema (docs/schemas/envelope.json). */
export const ENVELOPE_SCHEMA_URI = `${SCHEMA_ID_BASE_URI}envelope.json`;

/** `$id` of the JSON Schema of an event type's `data` (docs/schemas/<type>.json). */
export function schemaId(type: string): string {
  return `${SCHEMA_ID_BASE_URI}${type}.json`;
}

/** The `dataschema` of an event type under `baseUri` (a trailing `/` is added if missing). */
export function dataSchemaUri(type: string, baseUri: string = DEFAULT_SCHEMA_BASE_URI): string {
  return `${baseUri.endsWith('/') ? baseUri : `${baseUri}/`}${type}.json`;
}

/**
 * What a `dataschema` must look like: an absolute http(s) URI whose path ends in `/<type>.json`
 * (any host and folder: each deployment serves the schemas where it likes), optionally with a
 * query, never with a fragment (which would name a part of the document, not the schema).
 * Without `type`, any tracker type's name is accepted.
 */
export function dataSchemaPattern(type?: string): RegExp {
  const name = type === undefined ? 'tracker\\.[a-z0-9.-]+' : type.replace(/[.]/g, '\\.');
  return new RegExp(`^https?://[^/?#]+/(?:[^?#]*/)?${name}\\.json(?:\\?[^#]*)?$`);
}

/** `dataschema`, optional: producer systems publish inbound events without one. */
export function dataSchemaAttribute(type?: string) {
  const ending = `/${type ?? '<type>'}.json`;
  const dataschemaRule = rule(`must be an absolute http(s) URI whose path ends in ${ending}`);
  return attribute(TEXT_LIMITS.url)
    .regex(dataSchemaPattern(type), dataschemaRule)
    .describe(`URI of the JSON Schema of \`data\`; its path ends in ${ending}.`)
    .optional();
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
  return z.object(
    {
      specversion,
      id,
      source,
      type: z.literal(type, rule(`must be "${type}"`)),
      subject,
      time,
      datacontenttype,
      dataschema: dataSchemaAttribute(type),
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

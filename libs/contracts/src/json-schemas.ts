import { z } from 'zod';
import { dataSchemaPattern, ENVELOPE_SCHEMA_URI, schemaId } from './envelope';
import { Envelope, EVENT_TYPE_DEFINITIONS, EVENT_TYPES } from './events';

/** One JSON Schema document of docs/schemas. */
export interface JsonSchemaDocument {
  /** File name inside docs/schemas, e.g. `tracker.pledge.announced.v1.json`. */
  readonly fileName: string;
  readonly schema: Record<string, unknown>;
}

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * JSON Schema (draft 2020-12) of what the wire accepts: unknown properties are allowed
 * (consumers ignore them), so objects carry no `additionalProperties: false`.
 */
function toJsonSchema(
  schema: z.ZodType,
  id: string,
  title: string,
  description: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  // Spreading after the literal keeps this key order while the generated keywords follow.
  return { $schema: DRAFT, $id: id, title, description, ...generated, ...extra };
}

/**
 * `dataschema`, when present, must name the schema of the event's own type. zod checks this per
 * type (each type's event schema has its own pattern); the one envelope document says it with
 * one `if type … then dataschema …` per type, so a validator of any language agrees with `parse`.
 */
function dataSchemaMatchesType(): Record<string, unknown> {
  return {
    allOf: EVENT_TYPES.map((type) => ({
      if: { properties: { type: { const: type } }, required: ['type'] },
      then: {
        properties: { dataschema: { type: 'string', pattern: dataSchemaPattern(type).source } },
      },
    })),
  };
}

/** The envelope's schema and one schema per event type's `data`, in a stable order. */
export function jsonSchemaDocuments(): JsonSchemaDocument[] {
  const envelope: JsonSchemaDocument = {
    fileName: 'envelope.json',
    schema: toJsonSchema(
      Envelope,
      ENVELOPE_SCHEMA_URI,
      'Tracker event envelope (CloudEvents 1.0, structured mode)',
      'Every Kafka message value of the tracker topics. `data` follows the schema of `type`, which `dataschema` (when present) names.',
      dataSchemaMatchesType(),
    ),
  };
  const payloads = EVENT_TYPE_DEFINITIONS.map((definition) => ({
    fileName: `${definition.type}.json`,
    schema: toJsonSchema(
      definition.payload,
      schemaId(definition.type),
      `${definition.type} data`,
      definition.description,
    ),
  }));
  return [envelope, ...payloads];
}

/** A schema as committed: two-space indentation and a trailing newline. */
export function renderJsonSchema(document: JsonSchemaDocument): string {
  return `${JSON.stringify(document.schema, null, 2)}\n`;
}

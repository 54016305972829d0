import { z } from 'zod';
import { dataSchemaUri, ENVELOPE_SCHEMA_URI } from './envelope';
import { Envelope, EVENT_TYPE_DEFINITIONS } from './events';

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
): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  // Spreading after the literal keeps this key order while the generated keywords follow.
  return { $schema: DRAFT, $id: id, title, description, ...generated };
}

/** The envelope's schema and one schema per event type's `data`, in a stable order. */
export function jsonSchemaDocuments(): JsonSchemaDocument[] {
  const envelope: JsonSchemaDocument = {
    fileName: 'envelope.json',
    schema: toJsonSchema(
      Envelope,
      ENVELOPE_SCHEMA_URI,
      'Tracker event envelope (CloudEvents 1.0, structured mode)',
      'Every Kafka message value of the tracker topics. `data` follows the schema named by `dataschema`.',
    ),
  };
  const payloads = EVENT_TYPE_DEFINITIONS.map((definition) => ({
    fileName: `${definition.type}.json`,
    schema: toJsonSchema(
      definition.payload,
      dataSchemaUri(definition.type),
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

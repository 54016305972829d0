// A catalogue of an event type's fields, read from its exported JSON Schemas, so property tests
// can break any field of any type without a hand-kept list going stale.
import { ENVELOPE_SCHEMA_URI, schemaId } from '../envelope';
import { EventType } from '../events';
import { jsonSchemaDocuments } from '../json-schemas';

export type FieldKind =
  'integer' | 'country' | 'timestamp' | 'date' | 'id' | 'string' | 'enum' | 'array' | 'object';

export interface EventField {
  /** As `parse` names it: `time`, `data.quantity`. */
  readonly path: string;
  readonly required: boolean;
  readonly kind: FieldKind;
  readonly maxLength?: number;
}

type Schema = {
  $ref?: string;
  $defs?: Record<string, Schema>;
  type?: string;
  enum?: unknown[];
  const?: unknown;
  maxLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
};

const documents = new Map(
  jsonSchemaDocuments().map((document) => [document.schema.$id, document.schema as Schema]),
);

function classify(
  field: Schema,
  defs: Record<string, Schema>,
): Omit<EventField, 'path' | 'required'> {
  const name = field.$ref?.replace('#/$defs/', '');
  const resolved = name === undefined ? field : { ...defs[name], ...field };
  if (name === 'CountryCode') return { kind: 'country' };
  if (name === 'Timestamp') return { kind: 'timestamp', maxLength: resolved.maxLength };
  if (name === 'CalendarDate') return { kind: 'date' };
  if (name === 'EntityId') return { kind: 'id', maxLength: resolved.maxLength };
  if (resolved.type === 'integer') return { kind: 'integer' };
  if (resolved.type === 'array') return { kind: 'array' };
  if (resolved.type === 'object') return { kind: 'object' };
  if (resolved.enum !== undefined || resolved.const !== undefined) return { kind: 'enum' };
  return { kind: 'string', maxLength: resolved.maxLength };
}

function fieldsOf(schema: Schema, prefix: string): EventField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, field]) => ({
    path: `${prefix}${name}`,
    required: required.has(name),
    ...classify(field, schema.$defs ?? {}),
  }));
}

/** Every envelope attribute and payload field of an event type. */
export function eventFields(type: EventType): EventField[] {
  const envelope = documents.get(ENVELOPE_SCHEMA_URI);
  const payload = documents.get(schemaId(type));
  if (!envelope || !payload) throw new Error(`no JSON Schema for ${type}`);
  const attributes = fieldsOf(envelope, '').filter((field) => field.path !== 'data');
  return [...attributes, ...fieldsOf(payload, 'data.')];
}

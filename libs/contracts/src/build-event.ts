import { v7 as uuidv7 } from 'uuid';
import {
  DATA_CONTENT_TYPE,
  dataSchemaUri,
  DEFAULT_SCHEMA_BASE_URI,
  EventTypeDefinition,
  SPEC_VERSION,
} from './envelope';
import { EventOf, eventTypeDefinition, EventType, PayloadOf } from './events';
import { topicOf } from './topics';
import { checkEvent, joinFields } from './validate';
import { contractViolation, ContractViolationError, FieldViolation, formatPath } from './violation';

/** Envelope attributes `buildEvent` cannot derive from the payload. */
export interface BuildEventOptions {
  /** Who emits the event, e.g. `/pledge-service` or `/producers/rheinmetall`. */
  readonly source: string;
  /**
   * When it happened in the world. Defaults to the payload's own timestamp where the type has
   * one (`announcedAt`, `completedAt`, `at`, …), else the current time.
   */
  readonly time?: string;
  /** Defaults to a fresh UUID v7 (time-ordered). */
  readonly id?: string;
  /**
   * Where the schemas are served: `dataschema` becomes `<schemaBaseUri><type>.json`. Defaults to
   * {@link DEFAULT_SCHEMA_BASE_URI}; a deployment passes its public gateway URL + `/schemas/`.
   */
  readonly schemaBaseUri?: string;
}

/**
 * Wraps a payload in a complete, valid CloudEvent: `specversion`, `id`, `time`, `subject`,
 * `datacontenttype`, `dataschema` and `partitionkey` follow from the type and the payload.
 *
 * @throws ContractViolationError naming every violated field when the payload or the options
 *   break the contract.
 */
export function buildEvent<T extends EventType>(
  type: T,
  data: PayloadOf<T>,
  options: BuildEventOptions,
): EventOf<T> {
  const definition = eventTypeDefinition(type) as EventTypeDefinition;
  const topic = topicOf(type);
  const payload = definition.payload.safeParse(data);
  if (!payload.success) {
    const violations: FieldViolation[] = payload.error.issues.map((issue) => ({
      path: formatPath(['data', ...issue.path]),
      rule: issue.message,
    }));
    throw new ContractViolationError(contractViolation(violations, { topic, type }));
  }
  const fields = payload.data;
  const checked = checkEvent(definition, {
    specversion: SPEC_VERSION,
    id: options.id ?? uuidv7(),
    source: options.source,
    type,
    subject: joinFields(fields, definition.subject),
    time: options.time ?? occurredAt(definition, fields) ?? new Date().toISOString(),
    datacontenttype: DATA_CONTENT_TYPE,
    dataschema: dataSchemaUri(type, options.schemaBaseUri ?? DEFAULT_SCHEMA_BASE_URI),
    partitionkey: joinFields(fields, definition.key),
    data: fields,
  });
  if (!checked.ok) {
    throw new ContractViolationError(contractViolation(checked.violations, { topic, type }));
  }
  return checked.event as EventOf<T>;
}

function occurredAt(
  definition: EventTypeDefinition,
  data: Record<string, unknown>,
): string | undefined {
  const value = definition.occurredAt === undefined ? undefined : data[definition.occurredAt];
  return typeof value === 'string' ? value : undefined;
}

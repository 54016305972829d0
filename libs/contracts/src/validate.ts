import { EventTypeDefinition } from './envelope';
import { TrackerEvent } from './events';
import { describeKey } from './topics';
import { FieldViolation, violationsFromIssues } from './violation';

export type Checked =
  | { readonly ok: true; readonly event: TrackerEvent }
  | { readonly ok: false; readonly violations: FieldViolation[] };

/** Payload fields joined with `:`: the subject or the Kafka key of an event. */
export function joinFields(data: Record<string, unknown>, fields: readonly string[]): string {
  return fields.map((field) => String(data[field])).join(':');
}

/**
 * Checks an event against its type's schema, then the attributes derived from the payload
 * (`subject`, `partitionkey`), which JSON Schema cannot express. Returns the event with unknown
 * attributes and payload fields dropped.
 */
export function checkEvent(definition: EventTypeDefinition, candidate: unknown): Checked {
  const result = definition.event.safeParse(candidate);
  if (!result.success) return { ok: false, violations: violationsFromIssues(result.error.issues) };
  const event = result.data as TrackerEvent;
  const data = event.data as Record<string, unknown>;
  const violations: FieldViolation[] = [];
  if (event.subject !== joinFields(data, definition.subject)) {
    violations.push({
      path: 'subject',
      rule: `must equal ${describeKey(definition.subject.map((field) => `data.${field}`))}`,
    });
  }
  if (event.partitionkey !== joinFields(data, definition.key)) {
    violations.push({
      path: 'partitionkey',
      rule: `must equal ${describeKey(definition.key.map((field) => `data.${field}`))}`,
    });
  }
  return violations.length === 0 ? { ok: true, event } : { ok: false, violations };
}

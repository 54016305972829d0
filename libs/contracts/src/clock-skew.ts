import type { z } from 'zod';
import { EventTypeDefinition } from './envelope';
import { eventTypeDefinition, EventType } from './events';
import { ContractViolation, contractViolation, FieldViolation } from './violation';

/**
 * Nothing from the future. An event's `time` and the payload field that records when it
 * happened (`announcedAt`, `completedAt`, `dispatchedAt`, a milestone's `at`, `receivedAt`, a
 * stockpile report's `at`, `raisedAt`, `clearedAt`: each type's `occurredAt`) must not lie more
 * than the allowed clock skew (`MAX_CLOCK_SKEW`, default 5 minutes) after the receiver's clock.
 * Forward-looking fields — `eta`, `targetDate`, `effectiveFrom` — are promises and estimates,
 * and are never checked. The rule depends on the reader's clock, so it is not part of the
 * schemas (nor of the exported JSON Schemas): the doors where facts enter — every HTTP write
 * body, the inbound Kafka topic — apply it; topics the services wrote themselves are trusted.
 */

/** Default of `MAX_CLOCK_SKEW`: 5 minutes. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** What the check compares with: the receiver's clock and how far ahead a sender may be. */
export interface ClockSkewOptions {
  /** The receiver's clock, in epoch milliseconds; default `Date.now()`. */
  readonly now?: number;
  /** Default {@link maxClockSkewMs}: what the process was configured with at boot. */
  readonly maxClockSkewMs?: number;
}

let configuredSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS;

/**
 * Sets the process's allowed skew (the service's `MAX_CLOCK_SKEW`, once, at boot): the request
 * schemas of the write routes ({@link notAheadOfClock}) read it when they validate a body.
 */
export function configureMaxClockSkew(ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`bad clock skew ${ms}`);
  configuredSkewMs = ms;
}

/** The allowed skew the process was configured with ({@link DEFAULT_MAX_CLOCK_SKEW_MS} if none). */
export function maxClockSkewMs(): number {
  return configuredSkewMs;
}

/** 300000 → "5 minutes", 1000 → "1 second", 1500 → "1500 milliseconds". */
export function describeDuration(ms: number): string {
  const unit = (n: number, name: string) => `${n} ${name}${n === 1 ? '' : 's'}`;
  if (ms % 3_600_000 === 0 && ms > 0) return unit(ms / 3_600_000, 'hour');
  if (ms % 60_000 === 0 && ms > 0) return unit(ms / 60_000, 'minute');
  if (ms % 1000 === 0 && ms > 0) return unit(ms / 1000, 'second');
  return unit(ms, 'millisecond');
}

/** The rule a timestamp too far ahead breaks: "must not be more than 5 minutes in the future". */
export function futureRule(skewMs: number): string {
  return `must not be more than ${describeDuration(skewMs)} in the future`;
}

/** Payload fields of a type that record when something happened (its `occurredAt`). */
export function occurredAtFields(definition: Pick<EventTypeDefinition, 'occurredAt'>): string[] {
  return definition.occurredAt === undefined ? [] : [definition.occurredAt];
}

function aheadOf(value: unknown, limit: number): boolean {
  if (typeof value !== 'string') return false;
  const at = Date.parse(value);
  return Number.isFinite(at) && at > limit;
}

function limitOf(options: ClockSkewOptions): { limit: number; rule: string } {
  const skew = options.maxClockSkewMs ?? configuredSkewMs;
  return { limit: (options.now ?? Date.now()) + skew, rule: futureRule(skew) };
}

/**
 * The fields of a payload of `type` that lie too far in the future, named as the payload names
 * them (`at`, `announcedAt`): what an HTTP body check reports. Values that are not timestamps
 * are left to the schema.
 */
export function payloadTimeViolations(
  type: string,
  data: unknown,
  options: ClockSkewOptions = {},
): FieldViolation[] {
  const definition = eventTypeDefinition(type);
  if (definition === undefined || typeof data !== 'object' || data === null) return [];
  const { limit, rule } = limitOf(options);
  const fields = data as Record<string, unknown>;
  return occurredAtFields(definition)
    .filter((field) => aheadOf(fields[field], limit))
    .map((path) => ({ path, rule }));
}

/**
 * The violations of a parsed (or at least well-typed) event that lies too far in the future:
 * `time` and the type's `data.<occurredAt>` field. Empty when it does not.
 */
export function eventTimeViolations(
  event: { readonly type: string; readonly time?: unknown; readonly data?: unknown },
  options: ClockSkewOptions = {},
): FieldViolation[] {
  const { limit, rule } = limitOf(options);
  const violations: FieldViolation[] = aheadOf(event.time, limit) ? [{ path: 'time', rule }] : [];
  for (const violation of payloadTimeViolations(event.type, event.data, options))
    violations.push({ path: `data.${violation.path}`, rule: violation.rule });
  return violations;
}

/**
 * {@link eventTimeViolations} as a {@link ContractViolation} (what a consumer dead-letters), or
 * undefined when the event is not from the future.
 */
export function checkNotFromTheFuture(
  event: { readonly type: string; readonly time?: unknown; readonly data?: unknown },
  options: ClockSkewOptions & { readonly topic?: string } = {},
): ContractViolation | undefined {
  const violations = eventTimeViolations(event, options);
  if (violations.length === 0) return undefined;
  const context = options.topic === undefined ? {} : { topic: options.topic };
  return contractViolation(violations, { ...context, type: event.type });
}

/**
 * `schema` (an HTTP write body carrying a payload of `type`), refusing the payload's
 * `occurredAt` field when it lies more than the process's allowed skew in the future: the
 * issue names the field (`at`) and the rule, and the body pipe answers 422 with them.
 */
export function notAheadOfClock<T extends z.ZodType>(schema: T, type: EventType): T {
  return schema.superRefine((body, context) => {
    for (const { path, rule } of payloadTimeViolations(type, body)) {
      context.addIssue({
        code: 'custom',
        path: [path],
        message: rule,
        input: (body as Record<string, unknown>)[path],
      });
    }
  });
}

/**
 * When a fact happened and which event said so: the order every "latest wins" rule uses, so the
 * outcome never depends on the order events arrive in (ties broken by event id).
 */
export interface Stamp {
  /** Epoch milliseconds of the event's time (or of the payload's own timestamp). */
  readonly t: number;
  readonly id: string;
}

/** True when `a` is after `b`. */
export function isAfter(a: Stamp, b: Stamp): boolean {
  return a.t !== b.t ? a.t > b.t : a.id > b.id;
}

/** The later of two stamped facts; `current` when `candidate` is absent. */
export function latest<T extends { readonly stamp: Stamp }>(
  current: T | undefined,
  candidate: T,
): T {
  return current === undefined || isAfter(candidate.stamp, current.stamp) ? candidate : current;
}

export function stampOf(event: { readonly id: string; readonly time: string }): Stamp {
  return { t: Date.parse(event.time), id: event.id };
}

const DAY_MS = 86_400_000;

/** Days already formatted: folds ask for the same few hundred days over and over. */
const formattedDays = new Map<number, string>();
const MAX_FORMATTED_DAYS = 100_000;

/** `YYYY-MM-DD` of an instant, in UTC. */
export function utcDate(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let date = formattedDays.get(day);
  if (date === undefined) {
    date = new Date(ms).toISOString().slice(0, 10);
    if (formattedDays.size >= MAX_FORMATTED_DAYS) formattedDays.clear();
    formattedDays.set(day, date);
  }
  return date;
}

/** Whole days from date `from` to date `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/** `date` + `days`, as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  return utcDate(Date.parse(date) + days * DAY_MS);
}

/** A record with one entry replaced, for the copy-on-write facts. */
export function withEntry<T>(
  record: Readonly<Record<string, T>>,
  key: string,
  value: T,
): Record<string, T> {
  return { ...record, [key]: value };
}

/** A record without one entry. */
export function withoutEntry<T>(
  record: Readonly<Record<string, T>>,
  key: string,
): Record<string, T> {
  const rest = { ...record };
  delete rest[key];
  return rest;
}

/**
 * True when a repeated write carries what was first recorded, field by field (payloads are flat
 * JSON objects), leaving out the fields named in `ignoring` (e.g. a timestamp the repeat left to
 * the service). Key order does not matter: Postgres `jsonb` does not keep it.
 */
export function sameContent(
  recorded: Record<string, unknown>,
  repeated: Record<string, unknown>,
  ignoring: readonly string[] = [],
): boolean {
  return canonical(recorded, ignoring) === canonical(repeated, ignoring);
}

function canonical(value: Record<string, unknown>, ignoring: readonly string[]): string {
  const entries = Object.entries(value)
    .filter(([key, field]) => !ignoring.includes(key) && field !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

/** Whether two RFC 3339 timestamps name the same instant (`Z` and `+00:00` alike). */
export function sameInstant(a: string, b: string): boolean {
  return Date.parse(a) === Date.parse(b);
}

/**
 * JSON with every object's keys sorted: facts folded in any order serialize to the same bytes,
 * so a rebuilt model equals the live one key by key (and a no-op fold is seen as one). Written
 * out by hand because it runs for every changed document of every batch: one string built by
 * concatenation, with JSON.stringify only for strings (their escaping).
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : Array.isArray(value) ? arrayJson(value) : objectJson(value);
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      return 'null';
  }
}

function arrayJson(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i += 1) {
    if (i > 0) out += ',';
    out += canonicalJson(items[i]);
  }
  return `${out}]`;
}

function objectJson(value: object): string {
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined || typeof item === 'function') continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

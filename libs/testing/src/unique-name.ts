import { randomUUID } from 'node:crypto';

/** A topic, group or client name no other suite (or earlier run) uses: `<prefix>-<8 hex>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

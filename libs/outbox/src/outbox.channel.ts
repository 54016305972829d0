/** The LISTEN/NOTIFY channel on which a schema's outbox announces new rows. */
export function outboxChannel(schema: string): string {
  return `outbox_${schema}`;
}

/** The advisory-lock key text whose holder is the one relay publishing a schema's outbox. */
export function relayLockName(schema: string): string {
  return `outbox-relay:${schema}`;
}

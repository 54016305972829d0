import { createHash } from 'node:crypto';
import { TrackerEvent } from '@tracker/contracts';
import { IdempotencyRequest, StoredAnswer } from './idempotency';
import { OUTBOX_COLUMNS, outboxValues } from './transaction';

/**
 * An INSERT of one entity row that does nothing when the row exists (`… on conflict do
 * nothing`), without `returning`; its parameters are `$1` … `$n`, `values` in that order.
 */
export interface EntityInsert {
  readonly sql: string;
  readonly values: readonly unknown[];
}

/** A prepared statement as node-postgres takes it: parsed once per connection, by name. */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

/** What the statement writes besides the entity row, when that row was inserted. */
export interface SingleStatementParts {
  readonly events: readonly TrackerEvent[];
  /** The request's key and the answer a retry with it replays. */
  readonly idempotency?: { readonly request: IdempotencyRequest; readonly answer: StoredAnswer };
  /** Also `pg_notify` this channel when the row was inserted (no relay publishes here). */
  readonly notifyChannel?: string;
}

const INSERTED = 'exists (select 1 from entity)';

/**
 * One statement that inserts the entity row and, only if it was inserted, the events' outbox
 * rows and the idempotency key's row: one round trip and one implicit transaction instead of
 * begin, one statement each, commit. A statement is atomic, so all of it commits or none does;
 * a key that exists already fails the whole statement with a unique violation (23505), like the
 * key's insert does in a transaction. It answers one row, `applied`: whether the entity row was
 * inserted. Named by a digest of its text, so each shape is prepared once per connection.
 */
export function singleStatementWrite(
  insert: EntityInsert,
  parts: SingleStatementParts,
): NamedStatement {
  const values = [...insert.values];
  const parameter = (value: unknown, type: string) => {
    values.push(value);
    return `$${values.length}::${type}`;
  };
  const tuples = parts.events.map((event) => {
    const [id, topic, key, value, headers] = outboxValues(event);
    return `(${parameter(id, 'text')}, ${parameter(topic, 'text')}, ${parameter(key, 'text')}, ${parameter(value, 'bytea')}, ${parameter(headers, 'jsonb')})`;
  });
  const ctes = [`entity as (${insert.sql} returning 1)`];
  if (tuples.length > 0) {
    ctes.push(
      `outbox_rows as (insert into outbox ${OUTBOX_COLUMNS} select * from (values ${tuples.join(', ')}) as event ${OUTBOX_COLUMNS} where ${INSERTED} returning 1)`,
    );
  }
  const idempotency = parts.idempotency;
  if (idempotency !== undefined) {
    const { request, answer } = idempotency;
    ctes.push(
      `idempotency as (insert into idempotency_keys (scope, key, fingerprint, status, body) select ${parameter(request.scope, 'text')}, ${parameter(request.key, 'text')}, ${parameter(request.fingerprint, 'text')}, ${parameter(answer.status, 'int')}, ${parameter(JSON.stringify(answer.body), 'jsonb')} where ${INSERTED} returning 1)`,
    );
  }
  const notify =
    parts.notifyChannel === undefined
      ? ''
      : `, (select pg_notify(${parameter(parts.notifyChannel, 'text')}, '') where ${INSERTED}) as notified`;
  const text = `with ${ctes.join(', ')} select ${INSERTED} as applied${notify}`;
  const name = `tracker_write_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  return { name, text, values };
}

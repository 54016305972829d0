import { RuleViolation } from '@tracker/errors';
import { EntityManager } from 'typeorm';

/** What identifies one idempotent request: who sent it, its key, and a digest of the request. */
export interface IdempotencyRequest {
  /** Whose keys these are (a digest of the caller's token): keys of two callers never collide. */
  readonly scope: string;
  readonly key: string;
  /** Digest of method, path and body: the same key with another request is refused. */
  readonly fingerprint: string;
}

/** The answer a write gave, replayed for a retry with the same key. */
export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The refusal of a key reused with another request (422). */
export class IdempotencyKeyReused extends RuleViolation {
  constructor() {
    super(
      'idempotency-key-reused',
      'Idempotency-Key was already used with a different request; use a new key for a new request',
      'Idempotency-Key',
    );
  }
}

/** Reads and writes `idempotency_keys` inside a write transaction. */
export const idempotencyStore = {
  async find(
    manager: EntityManager,
    request: IdempotencyRequest,
  ): Promise<StoredAnswer | undefined> {
    const rows: { fingerprint: string; status: number; body: unknown }[] = await manager.query(
      'select fingerprint, status, body from idempotency_keys where scope = $1 and key = $2',
      [request.scope, request.key],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    if (row.fingerprint !== request.fingerprint) throw new IdempotencyKeyReused();
    return { status: row.status, body: row.body };
  },

  async save(
    manager: EntityManager,
    request: IdempotencyRequest,
    answer: StoredAnswer,
  ): Promise<void> {
    await manager.query(
      `insert into idempotency_keys (scope, key, fingerprint, status, body) values ($1, $2, $3, $4, $5)`,
      [request.scope, request.key, request.fingerprint, answer.status, JSON.stringify(answer.body)],
    );
  },
};

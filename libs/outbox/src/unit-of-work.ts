import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { TrackerEvent } from '@tracker/contracts';
import type { Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { IdempotencyRequest, idempotencyStore, StoredAnswer } from './idempotency';
import { outboxChannel } from './outbox.channel';
import { RelayWakeup } from './relay-wakeup';
import { EntityInsert, singleStatementWrite } from './single-statement';
import { Transaction } from './transaction';

/** What an HTTP write brings along: its idempotency key, and the status a success answers. */
export interface WriteContext {
  readonly idempotency?: IdempotencyRequest;
  readonly successStatus: number;
}

/** The answer of a write: fresh, or replayed from the first request with the same key. */
export interface Written<T> {
  readonly status: number;
  readonly body: T;
  readonly replayed: boolean;
}

const UNIQUE_VIOLATION = '23505';
const RETRIED_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 3;

/** The SQLSTATE of a failed query, through TypeORM or straight from node-postgres. */
function sqlState(error: unknown): string | undefined {
  const failure: unknown = error instanceof QueryFailedError ? error.driverError : error;
  const code = (failure as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Runs `attempt` again after a serialization failure or a deadlock, up to MAX_ATTEMPTS. */
async function retried<T>(attempt: () => Promise<T>): Promise<T> {
  for (let count = 1; ; count++) {
    try {
      return await attempt();
    } catch (error) {
      if (count >= MAX_ATTEMPTS || !RETRIED_CODES.has(sqlState(error) ?? '')) throw error;
    }
  }
}

/**
 * Runs a service's state change and its events in one Postgres transaction: the events go to the
 * outbox in the same commit, so a 2xx means the event will reach Kafka whatever crashes after.
 * Serialization failures and deadlocks are retried; an idempotent write replays the first answer.
 */
@Injectable()
export class UnitOfWork {
  private readonly channel: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly wakeup: RelayWakeup,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.channel = outboxChannel(config.databaseSchema);
  }

  /** One transaction around `work`; its emitted events are written to the outbox before commit. */
  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    let wrote = false;
    const result = await retried(() =>
      this.dataSource.transaction(async (manager) => {
        const tx = new Transaction(manager);
        const result = await work(tx);
        wrote = await tx.flush(this.wakeup.needsNotify ? this.channel : undefined);
        return result;
      }),
    );
    if (wrote) this.wakeup.committed();
    return result;
  }

  /**
   * The common case of a create, in one round trip: inserts the entity row and, only if it was
   * inserted, `events` into the outbox and the idempotency key with `body` as its answer, all
   * in one statement (`singleStatementWrite`), so one commit makes them durable together.
   * Undefined when the row existed: nothing was written, and the caller runs its general
   * {@link write}, which replays a key's answer, or compares the existing row under its lock.
   * A key already used answers as in {@link write}: its first answer, or 422 for another request.
   */
  async insertOnce<T>(
    context: WriteContext,
    insert: EntityInsert,
    events: readonly TrackerEvent[],
    body: T,
  ): Promise<Written<T> | undefined> {
    const idempotency = context.idempotency;
    const statement = singleStatementWrite(insert, {
      events,
      idempotency: idempotency && {
        request: idempotency,
        answer: { status: context.successStatus, body },
      },
      notifyChannel: this.wakeup.needsNotify ? this.channel : undefined,
    });
    let applied: boolean;
    try {
      const { rows } = await retried(() => this.pool.query<{ applied: boolean }>(statement));
      applied = rows[0].applied;
    } catch (error) {
      if (idempotency === undefined || sqlState(error) !== UNIQUE_VIOLATION) throw error;
      const first = await idempotencyStore.find(this.dataSource.manager, idempotency);
      if (first === undefined) throw error;
      return replay<T>(first);
    }
    if (!applied) return undefined;
    if (events.length > 0) this.wakeup.committed();
    return { status: context.successStatus, body, replayed: false };
  }

  /** TypeORM's node-postgres pool: a statement of its own needs no transaction around it. */
  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  /**
   * An HTTP write: with an `Idempotency-Key`, a retry of the same request gets the first answer
   * and changes nothing; the same key with another request is refused (422). Two concurrent
   * requests with one key: the second waits on the key's row and then replays the first.
   */
  async write<T>(
    context: WriteContext,
    work: (tx: Transaction) => Promise<T>,
  ): Promise<Written<T>> {
    const idempotency = context.idempotency;
    if (idempotency === undefined) {
      const body = await this.run(work);
      return { status: context.successStatus, body, replayed: false };
    }
    const earlier = await idempotencyStore.find(this.dataSource.manager, idempotency);
    if (earlier) return replay<T>(earlier);
    try {
      return await this.run(async (tx) => {
        const body = await work(tx);
        await idempotencyStore.save(tx.manager, idempotency, {
          status: context.successStatus,
          body,
        });
        return { status: context.successStatus, body, replayed: false };
      });
    } catch (error) {
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
      const first = await idempotencyStore.find(this.dataSource.manager, idempotency);
      if (first === undefined) throw error;
      return replay<T>(first);
    }
  }
}

function replay<T>(answer: StoredAnswer): Written<T> {
  return { status: answer.status, body: answer.body as T, replayed: true };
}

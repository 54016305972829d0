import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { DataSource, QueryFailedError } from 'typeorm';
import { IdempotencyRequest, idempotencyStore, StoredAnswer } from './idempotency';
import { outboxChannel } from './outbox.channel';
import { RelayWakeup } from './relay-wakeup';
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

function sqlState(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  return (error.driverError as { code?: string }).code;
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
    for (let attempt = 1; ; attempt++) {
      try {
        let wrote = false;
        const result = await this.dataSource.transaction(async (manager) => {
          const tx = new Transaction(manager);
          const result = await work(tx);
          wrote = await tx.flush(this.wakeup.needsNotify ? this.channel : undefined);
          return result;
        });
        if (wrote) this.wakeup.committed();
        return result;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !RETRIED_CODES.has(sqlState(error) ?? '')) throw error;
      }
    }
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

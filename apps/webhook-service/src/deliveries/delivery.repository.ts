import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A delivery claimed for one attempt: the head of its subscription's queue. */
export interface ClaimedDelivery {
  readonly subscriptionId: string;
  readonly seq: string;
  readonly eventId: string;
  readonly payload: string;
  /** This attempt's number, 1 for the first. */
  readonly attempts: number;
  readonly firstAttemptAt: Date;
  readonly url: string;
  readonly secret: string;
}

/** A delivery as GET /v1/subscriptions/:id/deliveries shows it. */
export interface DeliveryView {
  readonly seq: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly status: 'pending' | 'delivered' | 'parked';
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

interface ListedRow {
  seq: string;
  event_id: string;
  event_type: string;
  status: DeliveryView['status'];
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

interface ClaimedRow {
  subscription_id: string;
  seq: string;
  event_id: string;
  payload: string;
  attempts: number;
  first_attempt_at: Date;
  url: string;
  secret: string;
}

/**
 * The deliveries table: one row per subscription and event, `seq` their order per subscription.
 * Every state a delivery goes through is a committed row, so a crash loses none: a claim holds
 * a lease, and a lease that runs out (its worker died) makes the delivery claimable again.
 */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` deliveries due at `now`, each the first pending one of its live
   * subscription (so a subscription's deliveries go one at a time, in order, while the others'
   * go on), leasing each until `leaseUntil`. Concurrent workers skip each other's rows; the
   * conditions on the delivery itself are checked again once its row is locked. One index probe
   * per live subscription (`deliveries_pending`), however long the queues behind the heads.
   */
  async claim(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const rows = updatedRows<ClaimedRow>(
      await this.dataSource.query(
        `with heads as (
         select d.subscription_id, d.seq
         from subscriptions s
         cross join lateral (
           select e.seq from deliveries e
           where e.subscription_id = s.id and e.status = 'pending'
           order by e.seq limit 1
         ) head
         join deliveries d on d.subscription_id = s.id and d.seq = head.seq
         where s.deleted_at is null and s.parked_at is null
           and d.status = 'pending' and d.next_attempt_at <= $1
           and (d.lease_until is null or d.lease_until <= $1)
         order by d.next_attempt_at
         limit $3
         for update of d skip locked
       )
       update deliveries d
       set lease_until = $2, attempts = d.attempts + 1,
           first_attempt_at = coalesce(d.first_attempt_at, $1)
       from heads, subscriptions s
       where d.subscription_id = heads.subscription_id and d.seq = heads.seq
         and s.id = d.subscription_id
       returning d.subscription_id, d.seq, d.event_id, d.payload, d.attempts,
                 d.first_attempt_at, s.url, s.secret`,
        [now, leaseUntil, limit],
      ),
    );
    return rows.map((row) => ({
      subscriptionId: row.subscription_id,
      seq: String(row.seq),
      eventId: row.event_id,
      payload: row.payload,
      attempts: row.attempts,
      firstAttemptAt: row.first_attempt_at,
      url: row.url,
      secret: row.secret,
    }));
  }

  async delivered(delivery: ClaimedDelivery, status: number, at: Date): Promise<void> {
    await this.dataSource.query(
      `update deliveries set status = 'delivered', delivered_at = $3, last_status = $4,
         last_error = null, lease_until = null
       where subscription_id = $1 and seq = $2`,
      [delivery.subscriptionId, delivery.seq, at, status],
    );
  }

  async retryAt(
    delivery: ClaimedDelivery,
    at: Date,
    outcome: { status?: number; error: string },
  ): Promise<void> {
    await this.dataSource.query(
      `update deliveries set next_attempt_at = $3, last_status = $4, last_error = $5,
         lease_until = null
       where subscription_id = $1 and seq = $2`,
      [delivery.subscriptionId, delivery.seq, at, outcome.status ?? null, outcome.error],
    );
  }

  /**
   * Parks a delivery that kept failing, and its subscription with it: the later deliveries wait
   * behind it, in order, until the subscription is resumed.
   */
  async park(
    delivery: ClaimedDelivery,
    at: Date,
    outcome: { status?: number; error: string },
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `update deliveries set status = 'parked', last_status = $3, last_error = $4,
           lease_until = null
         where subscription_id = $1 and seq = $2`,
        [delivery.subscriptionId, delivery.seq, outcome.status ?? null, outcome.error],
      );
      await manager.query('update subscriptions set parked_at = $2 where id = $1', [
        delivery.subscriptionId,
        at,
      ]);
    });
  }

  /** A subscription's deliveries, newest first, `limit` at most, before `beforeSeq` if given. */
  async list(subscriptionId: string, limit: number, beforeSeq?: number): Promise<DeliveryView[]> {
    const rows: ListedRow[] = await this.dataSource.query(
      `select seq, event_id, event_type, status, attempts, next_attempt_at, last_status,
              last_error, created_at, delivered_at
       from deliveries where subscription_id = $1 and ($2::bigint is null or seq < $2)
       order by seq desc limit $3`,
      [subscriptionId, beforeSeq ?? null, limit],
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      eventId: row.event_id,
      eventType: row.event_type,
      status: row.status,
      attempts: Number(row.attempts),
      nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
      lastStatus: row.last_status,
      lastError: row.last_error,
      createdAt: iso(row.created_at)!,
      deliveredAt: iso(row.delivered_at),
    }));
  }

  /** Puts a subscription's parked deliveries back in the queue, due now, with a fresh window. */
  async resume(subscriptionId: string, now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = updatedRows(
        await manager.query(
          `update deliveries set status = 'pending', next_attempt_at = $2, first_attempt_at = null
           where subscription_id = $1 and status = 'parked' returning seq`,
          [subscriptionId, now],
        ),
      );
      await manager.query('update subscriptions set parked_at = null where id = $1', [
        subscriptionId,
      ]);
      return rows.length;
    });
  }
}

function iso(value: unknown): string | null {
  return value instanceof Date ? value.toISOString() : null;
}

/** The rows an `update … returning` gave back (TypeORM answers it as `[rows, rowCount]`). */
export function updatedRows<Row>(result: unknown): Row[] {
  if (Array.isArray(result) && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as Row[];
  }
  return result as Row[];
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { updatedRows } from '../deliveries/delivery.repository';
import type { SubscriptionFilters } from '../events/audience';

/** A subscription as recorded (its secret aside). */
export interface Subscription {
  readonly id: string;
  readonly owner: string;
  readonly url: string;
  readonly eventTypes: string[];
  readonly filters: SubscriptionFilters;
  readonly createdAt: string;
  /** Set while a delivery is parked: its deliveries wait for POST …/resume. */
  readonly parkedAt: string | null;
}

interface Row {
  id: string;
  owner: string;
  url: string;
  event_types: string[];
  filters: SubscriptionFilters;
  created_at: Date;
  parked_at: Date | null;
}

const COLUMNS = 'id, owner, url, event_types, filters, created_at, parked_at';

function toSubscription(row: Row): Subscription {
  return {
    id: row.id,
    owner: row.owner,
    url: row.url,
    eventTypes: row.event_types,
    filters: row.filters,
    createdAt: row.created_at.toISOString(),
    parkedAt: row.parked_at?.toISOString() ?? null,
  };
}

/** The subscriptions table; a deleted subscription stays (its deliveries' history) but is gone. */
@Injectable()
export class SubscriptionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(
    subscription: Omit<Subscription, 'createdAt' | 'parkedAt'>,
    secret: string,
  ): Promise<Subscription> {
    const rows: Row[] = await this.dataSource.query(
      `insert into subscriptions (id, owner, url, event_types, filters, secret)
       values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
      [
        subscription.id,
        subscription.owner,
        subscription.url,
        subscription.eventTypes,
        JSON.stringify(subscription.filters),
        secret,
      ],
    );
    return toSubscription(rows[0]);
  }

  /** A live subscription, or undefined. */
  async find(id: string): Promise<Subscription | undefined> {
    const rows: Row[] = await this.dataSource.query(
      `select ${COLUMNS} from subscriptions where id = $1 and deleted_at is null`,
      [id],
    );
    return rows[0] && toSubscription(rows[0]);
  }

  /** Live subscriptions, oldest first: of `owner`, or everyone's when it is undefined. */
  async list(owner: string | undefined): Promise<Subscription[]> {
    const rows: Row[] = await this.dataSource.query(
      `select ${COLUMNS} from subscriptions
       where deleted_at is null and ($1::text is null or owner = $1)
       order by created_at, id limit 1000`,
      [owner ?? null],
    );
    return rows.map(toSubscription);
  }

  /** Marks a subscription deleted: nothing more is queued or sent for it. */
  async delete(id: string): Promise<boolean> {
    const rows = updatedRows(
      await this.dataSource.query(
        'update subscriptions set deleted_at = now() where id = $1 and deleted_at is null returning id',
        [id],
      ),
    );
    return rows.length === 1;
  }
}

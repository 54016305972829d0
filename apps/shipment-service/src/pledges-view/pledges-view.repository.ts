import { Injectable } from '@nestjs/common';
import { Transaction } from '@tracker/outbox';
import { DataSource } from 'typeorm';

/** A pledge as shipment-service knows it from tracker.pledges.v1. */
export interface KnownPledge {
  readonly pledgeId: string;
  readonly donor: string | null;
  /** The receiving country: only its `recipient:<CC>` confirms receipt. */
  readonly recipient: string | null;
  /** Null while only the cancellation of the pledge has been seen. */
  readonly itemCode: string | null;
  /** Units pledged, as last amended; null while only the cancellation has been seen. */
  readonly quantity: number | null;
  readonly status: 'active' | 'cancelled';
}

interface PledgeRow {
  pledge_id: string;
  donor: string | null;
  recipient: string | null;
  item_code: string | null;
  quantity: number | string | null;
  status: 'active' | 'cancelled';
}

/**
 * The only code that touches `pledges_view`: shipment-service's own copy of the pledge facts its
 * rules need (item, quantity, donor, recipient, cancelled or not), fed from tracker.pledges.v1. Each upsert fills in
 * its own columns, so a cancellation seen before its announcement still wins.
 */
@Injectable()
export class PledgesViewRepository {
  constructor(private readonly dataSource: DataSource) {}

  async recordAnnounced(
    tx: Transaction,
    pledge: {
      pledgeId: string;
      donor: string;
      recipient: string;
      itemCode: string;
      quantity: number;
    },
  ): Promise<void> {
    await tx.manager.query(
      `insert into pledges_view (pledge_id, donor, recipient, item_code, quantity, status)
       values ($1, $2, $3, $4, $5, 'active')
       on conflict (pledge_id) do update set donor = excluded.donor,
         recipient = excluded.recipient, item_code = excluded.item_code,
         quantity = excluded.quantity, updated_at = now()`,
      [pledge.pledgeId, pledge.donor, pledge.recipient, pledge.itemCode, pledge.quantity],
    );
  }

  async recordAmended(tx: Transaction, pledgeId: string, quantity: number): Promise<void> {
    await tx.manager.query(
      'update pledges_view set quantity = $2, updated_at = now() where pledge_id = $1',
      [pledgeId, quantity],
    );
  }

  async recordCancelled(tx: Transaction, pledgeId: string): Promise<void> {
    await tx.manager.query(
      `insert into pledges_view (pledge_id, status) values ($1, 'cancelled')
       on conflict (pledge_id) do update set status = 'cancelled', updated_at = now()`,
      [pledgeId],
    );
  }

  /**
   * The pledge, its row locked until the transaction ends (a cancellation applied meanwhile
   * waits for the dispatch checked against it); undefined when the view has not seen it. A
   * dispatch locks it `for update`, so two dispatches against one pledge are checked against
   * what it has left one after the other.
   */
  async find(
    tx: Transaction,
    pledgeId: string,
    lock: 'share' | 'update' = 'share',
  ): Promise<KnownPledge | undefined> {
    const rows: PledgeRow[] = await tx.manager.query(
      `${SELECT_PLEDGE} for ${lock === 'update' ? 'update' : 'share'}`,
      [pledgeId],
    );
    return rows[0] && toKnownPledge(rows[0]);
  }

  /** The pledge as the view now has it, for a read: no transaction, no lock. */
  async read(pledgeId: string): Promise<KnownPledge | undefined> {
    const rows: PledgeRow[] = await this.dataSource.query(SELECT_PLEDGE, [pledgeId]);
    return rows[0] && toKnownPledge(rows[0]);
  }
}

const SELECT_PLEDGE = `select pledge_id, donor, recipient, item_code, quantity, status
  from pledges_view where pledge_id = $1`;

function toKnownPledge(row: PledgeRow): KnownPledge {
  return {
    pledgeId: row.pledge_id,
    donor: row.donor,
    recipient: row.recipient,
    itemCode: row.item_code,
    quantity: row.quantity === null ? null : Number(row.quantity),
    status: row.status,
  };
}

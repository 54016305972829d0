import { Injectable } from '@nestjs/common';
import { Transaction } from '@tracker/outbox';

/** What a producer has allocated to a pledge, as shipment-service knows it. */
export interface KnownAllocation {
  /** Units of the producer's lots allocated to the pledge. */
  readonly allocated: number;
  /** The producer's lots allocated to the pledge. */
  readonly lotIds: ReadonlySet<string>;
}

/**
 * The only code that touches `lots_view` and `allocations_view`: which producer made each lot
 * and which of its lots are allocated to which pledge, fed from tracker.production.v1. A lot's
 * allocations are keyed by the lot, so its completion is always seen before them.
 */
@Injectable()
export class AllocationsViewRepository {
  async recordLot(tx: Transaction, lotId: string, producer: string): Promise<void> {
    await tx.manager.query(
      'insert into lots_view (lot_id, producer) values ($1, $2) on conflict (lot_id) do nothing',
      [lotId, producer],
    );
  }

  /** Records an allocation of a lot the view knows; false when the lot is not known. */
  async recordAllocation(
    tx: Transaction,
    allocation: { allocationId: string; lotId: string; pledgeId: string; quantity: number },
  ): Promise<boolean> {
    const rows: unknown[] = await tx.manager.query(
      `insert into allocations_view (allocation_id, lot_id, pledge_id, producer, quantity)
       select $1, lot_id, $3, producer, $4 from lots_view where lot_id = $2
       on conflict (allocation_id) do nothing
       returning 1`,
      [allocation.allocationId, allocation.lotId, allocation.pledgeId, allocation.quantity],
    );
    return rows.length === 1 || (await this.allocationKnown(tx, allocation.allocationId));
  }

  /** What `producer` allocated to `pledgeId`. */
  async allocatedBy(tx: Transaction, producer: string, pledgeId: string): Promise<KnownAllocation> {
    const rows: { lot_id: string; quantity: string }[] = await tx.manager.query(
      `select lot_id, sum(quantity)::text as quantity from allocations_view
       where pledge_id = $1 and producer = $2 group by lot_id`,
      [pledgeId, producer],
    );
    return {
      allocated: rows.reduce((sum, row) => sum + Number(row.quantity), 0),
      lotIds: new Set(rows.map((row) => row.lot_id)),
    };
  }

  private async allocationKnown(tx: Transaction, allocationId: string): Promise<boolean> {
    const rows: unknown[] = await tx.manager.query(
      'select 1 from allocations_view where allocation_id = $1',
      [allocationId],
    );
    return rows.length === 1;
  }
}

import { Injectable } from '@nestjs/common';
import { Transaction } from '@tracker/outbox';
import { safeInteger } from '@tracker/platform';
import { DataSource, EntityManager } from 'typeorm';
import { PledgeViewEntity, PledgeViewStatus } from './pledge-view.entity';

/** A pledge as the view knows it, how much of it lots are allocated to, and by whom. */
export interface PledgeViewRecord {
  readonly pledge: PledgeViewEntity;
  readonly allocated: number;
  /** The producers whose lots are allocated to the pledge. */
  readonly producers: readonly string[];
}

/** The only code that touches the `pledges_view` table. */
@Injectable()
export class PledgesViewRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records an announced pledge; a pledge already in the view is left as it is. */
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
       values ($1, $2, $3, $4, $5, 'active') on conflict (pledge_id) do nothing`,
      [pledge.pledgeId, pledge.donor, pledge.recipient, pledge.itemCode, pledge.quantity],
    );
  }

  /** The pledge, its row locked until the transaction ends; undefined when the view lacks it. */
  async lock(tx: Transaction, pledgeId: string): Promise<PledgeViewEntity | undefined> {
    const pledge = await tx.manager
      .getRepository(PledgeViewEntity)
      .createQueryBuilder('pledge')
      .setLock('pessimistic_write')
      .where('pledge.pledge_id = :pledgeId', { pledgeId })
      .getOne();
    return pledge ?? undefined;
  }

  async update(
    tx: Transaction,
    pledgeId: string,
    changes: { quantity?: number; status?: PledgeViewStatus },
  ): Promise<void> {
    await tx.manager
      .getRepository(PledgeViewEntity)
      .update({ pledgeId }, { ...changes, updatedAt: new Date() });
  }

  /** Units allocated to the pledge so far, across all lots. */
  allocated(tx: Transaction, pledgeId: string): Promise<number> {
    return allocatedTo(tx.manager, pledgeId);
  }

  async find(pledgeId: string): Promise<PledgeViewRecord | undefined> {
    const pledge = await this.dataSource.getRepository(PledgeViewEntity).findOneBy({ pledgeId });
    if (pledge === null) return undefined;
    const manager = this.dataSource.manager;
    return {
      pledge,
      allocated: await allocatedTo(manager, pledgeId),
      producers: await allocatingProducers(manager, pledgeId),
    };
  }
}

async function allocatingProducers(manager: EntityManager, pledgeId: string): Promise<string[]> {
  const rows: { manufacturer: string }[] = await manager.query(
    `select distinct lots.manufacturer from allocations join lots using (lot_id)
     where allocations.pledge_id = $1 order by 1`,
    [pledgeId],
  );
  return rows.map((row) => row.manufacturer);
}

async function allocatedTo(manager: EntityManager, pledgeId: string): Promise<number> {
  const rows: { allocated: string }[] = await manager.query(
    'select coalesce(sum(quantity), 0) as allocated from allocations where pledge_id = $1',
    [pledgeId],
  );
  return safeInteger(rows[0].allocated, 'allocated quantity');
}

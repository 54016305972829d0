import { Injectable } from '@nestjs/common';
import { Transaction } from '@tracker/outbox';
import { safeInteger } from '@tracker/platform';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { LotEntity, QaStatus } from './lot.entity';

/** A lot and how much of it is allocated to pledges. */
export interface LotRecord {
  readonly lot: LotEntity;
  readonly allocated: number;
}

/** The only code that touches the `lots` table. */
@Injectable()
export class LotRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The lot, its row locked until the transaction ends; undefined when there is none. */
  async lock(tx: Transaction, lotId: string): Promise<LotEntity | undefined> {
    const lot = await tx.manager
      .getRepository(LotEntity)
      .createQueryBuilder('lot')
      .setLock('pessimistic_write')
      .where('lot.lot_id = :lotId', { lotId })
      .getOne();
    return lot ?? undefined;
  }

  /** Inserts a new lot; false when one with its id exists. */
  async insert(tx: Transaction, lot: LotEntity): Promise<boolean> {
    const result = await tx.manager
      .createQueryBuilder()
      .insert()
      .into(LotEntity)
      .values(lot as QueryDeepPartialEntity<LotEntity>)
      .orIgnore()
      .returning(['lotId'])
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  async changeQaStatus(tx: Transaction, lotId: string, qaStatus: QaStatus): Promise<void> {
    await tx.manager
      .getRepository(LotEntity)
      .update({ lotId }, { qaStatus, updatedAt: new Date() });
  }

  /** Units of the lot allocated to pledges so far. */
  allocated(tx: Transaction, lotId: string): Promise<number> {
    return allocatedFrom(tx.manager, lotId);
  }

  async find(lotId: string): Promise<LotRecord | undefined> {
    const lot = await this.dataSource.getRepository(LotEntity).findOneBy({ lotId });
    if (lot === null) return undefined;
    return { lot, allocated: await allocatedFrom(this.dataSource.manager, lotId) };
  }
}

async function allocatedFrom(manager: EntityManager, lotId: string): Promise<number> {
  const rows: { allocated: string }[] = await manager.query(
    'select coalesce(sum(quantity), 0) as allocated from allocations where lot_id = $1',
    [lotId],
  );
  return safeInteger(rows[0].allocated, 'allocated quantity');
}

import { Injectable } from '@nestjs/common';
import { EntityInsert, Transaction } from '@tracker/outbox';
import { safeInteger } from '@tracker/platform';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { PledgeEntity, PledgeState } from './pledge.entity';
import { ListPledgesFilter } from './pledge.requests';

/** A pledge and what its shipments' receipts accepted so far. */
export interface PledgeRecord {
  readonly pledge: PledgeEntity;
  readonly accepted: number;
}

/** The only code that touches the `pledges` table. */
@Injectable()
export class PledgeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The pledge, its row locked until the transaction ends; undefined when there is none. */
  async lock(tx: Transaction, pledgeId: string): Promise<PledgeEntity | undefined> {
    const pledge = await tx.manager
      .getRepository(PledgeEntity)
      .createQueryBuilder('pledge')
      .setLock('pessimistic_write')
      .where('pledge.pledge_id = :pledgeId', { pledgeId })
      .getOne();
    return pledge ?? undefined;
  }

  /**
   * The insert of a new pledge that does nothing when one with its id exists, as one statement
   * for `UnitOfWork.insertOnce` (an announcement's common case, in one round trip).
   */
  insertStatement(pledge: PledgeEntity): EntityInsert {
    return {
      sql: `insert into pledges (pledge_id, donor, recipient, item_code, quantity, target_date, status, announcement, announced_at, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict do nothing`,
      values: [
        pledge.pledgeId,
        pledge.donor,
        pledge.recipient,
        pledge.itemCode,
        pledge.quantity,
        pledge.targetDate,
        pledge.status,
        JSON.stringify(pledge.announcement),
        pledge.announcedAt,
        pledge.updatedAt,
      ],
    };
  }

  /** Inserts a new pledge; false when one with its id exists (a concurrent announcement). */
  async insert(tx: Transaction, pledge: PledgeEntity): Promise<boolean> {
    const result = await tx.manager
      .createQueryBuilder()
      .insert()
      .into(PledgeEntity)
      .values(pledge as QueryDeepPartialEntity<PledgeEntity>)
      .orIgnore()
      .returning(['pledgeId'])
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  async update(
    tx: Transaction,
    pledgeId: string,
    changes: { quantity?: number; targetDate?: string; status?: PledgeState },
  ): Promise<void> {
    await tx.manager
      .getRepository(PledgeEntity)
      .update({ pledgeId }, { ...changes, updatedAt: new Date() });
  }

  /** Quantity accepted on receipt across the pledge's shipments (from the shipments view). */
  async accepted(tx: Transaction, pledgeId: string): Promise<number> {
    const rows: { accepted: string | null }[] = await tx.manager.query(
      'select coalesce(sum(accepted), 0) as accepted from shipments_view where pledge_id = $1',
      [pledgeId],
    );
    return safeInteger(rows[0]?.accepted ?? 0, 'accepted quantity');
  }

  async find(pledgeId: string): Promise<PledgeRecord | undefined> {
    const pledge = await this.dataSource.getRepository(PledgeEntity).findOneBy({ pledgeId });
    if (pledge === null) return undefined;
    const rows: { accepted: string }[] = await this.dataSource.query(
      'select coalesce(sum(accepted), 0) as accepted from shipments_view where pledge_id = $1',
      [pledgeId],
    );
    return { pledge, accepted: safeInteger(rows[0].accepted, 'accepted quantity') };
  }

  /** Pledges matching the filters, in id order, `limit` at most, after the id `after`. */
  async list(filter: ListPledgesFilter): Promise<PledgeEntity[]> {
    const query = this.dataSource
      .getRepository(PledgeEntity)
      .createQueryBuilder('pledge')
      .orderBy('pledge.pledge_id', 'ASC')
      .limit(filter.limit);
    if (filter.donor) query.andWhere('pledge.donor = :donor', { donor: filter.donor });
    if (filter.itemCode)
      query.andWhere('pledge.item_code = :itemCode', { itemCode: filter.itemCode });
    if (filter.status) query.andWhere('pledge.status = :status', { status: filter.status });
    if (filter.after) query.andWhere('pledge.pledge_id > :after', { after: filter.after });
    return query.getMany();
  }
}

import { Injectable } from '@nestjs/common';
import { Transaction } from '@tracker/outbox';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CapacityEntity } from './capacity.entity';

/** The only code that touches the `capacity_declarations` table. */
@Injectable()
export class CapacityRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a new declaration; false when one with its id exists. */
  async insert(tx: Transaction, capacity: CapacityEntity): Promise<boolean> {
    const result = await tx.manager
      .createQueryBuilder()
      .insert()
      .into(CapacityEntity)
      .values(capacity as QueryDeepPartialEntity<CapacityEntity>)
      .orIgnore()
      .returning(['capacityId'])
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  /** The declaration, its row locked until the transaction ends; undefined when there is none. */
  async lock(tx: Transaction, capacityId: string): Promise<CapacityEntity | undefined> {
    const capacity = await tx.manager
      .getRepository(CapacityEntity)
      .createQueryBuilder('capacity')
      .setLock('pessimistic_write')
      .where('capacity.capacity_id = :capacityId', { capacityId })
      .getOne();
    return capacity ?? undefined;
  }

  async find(capacityId: string): Promise<CapacityEntity | undefined> {
    const capacity = await this.dataSource.getRepository(CapacityEntity).findOneBy({ capacityId });
    return capacity ?? undefined;
  }
}

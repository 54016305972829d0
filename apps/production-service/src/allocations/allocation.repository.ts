import { Injectable } from '@nestjs/common';
import { Transaction } from '@tracker/outbox';
import { DataSource } from 'typeorm';
import { AllocationEntity } from './allocation.entity';

/** The only code that writes the `allocations` table. */
@Injectable()
export class AllocationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a new allocation; false when one with its id exists. */
  async insert(tx: Transaction, allocation: AllocationEntity): Promise<boolean> {
    const result = await tx.manager
      .createQueryBuilder()
      .insert()
      .into(AllocationEntity)
      .values(allocation)
      .orIgnore()
      .returning(['allocationId'])
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  /** An allocation as recorded within the transaction; undefined when there is none. */
  async get(tx: Transaction, allocationId: string): Promise<AllocationEntity | undefined> {
    const allocation = await tx.manager.getRepository(AllocationEntity).findOneBy({ allocationId });
    return allocation ?? undefined;
  }

  /** The allocations to a pledge, oldest first (ties by id, so the order is stable). */
  ofPledge(pledgeId: string): Promise<AllocationEntity[]> {
    return this.dataSource
      .getRepository(AllocationEntity)
      .find({ where: { pledgeId }, order: { allocatedAt: 'ASC', allocationId: 'ASC' } });
  }

  async find(allocationId: string): Promise<AllocationEntity | undefined> {
    const allocation = await this.dataSource
      .getRepository(AllocationEntity)
      .findOneBy({ allocationId });
    return allocation ?? undefined;
  }
}

import { Injectable } from '@nestjs/common';
import { Transaction } from '@tracker/outbox';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ProgrammeEntity } from './programme.entity';

/** The only code that touches the `programmes` table. */
@Injectable()
export class ProgrammeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a new programme; false when one with its id exists. */
  async insert(tx: Transaction, programme: ProgrammeEntity): Promise<boolean> {
    const result = await tx.manager
      .createQueryBuilder()
      .insert()
      .into(ProgrammeEntity)
      .values(programme as QueryDeepPartialEntity<ProgrammeEntity>)
      .orIgnore()
      .returning(['programmeId'])
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  /** The programme, its row locked until the transaction ends; undefined when there is none. */
  async lock(tx: Transaction, programmeId: string): Promise<ProgrammeEntity | undefined> {
    const programme = await tx.manager
      .getRepository(ProgrammeEntity)
      .createQueryBuilder('programme')
      .setLock('pessimistic_write')
      .where('programme.programme_id = :programmeId', { programmeId })
      .getOne();
    return programme ?? undefined;
  }

  /** Replaces a programme's declaration (the row is locked by {@link lock}). */
  async replace(tx: Transaction, programme: ProgrammeEntity): Promise<void> {
    const { programmeId, declaredAt: _first, ...changes } = programme;
    await tx.manager
      .getRepository(ProgrammeEntity)
      .update({ programmeId }, changes as QueryDeepPartialEntity<ProgrammeEntity>);
  }

  async find(programmeId: string): Promise<ProgrammeEntity | undefined> {
    return (
      (await this.dataSource.getRepository(ProgrammeEntity).findOneBy({ programmeId })) ?? undefined
    );
  }

  /** Every programme, in id order (programmes are few: tens, not thousands). */
  async list(): Promise<ProgrammeEntity[]> {
    return this.dataSource.getRepository(ProgrammeEntity).find({ order: { programmeId: 'ASC' } });
  }
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../common/integer.transformer';

/**
 * One nation's stockpile of one item: the latest level reported (by `at`). Its row is locked by
 * every report, so one stockpile's reports reach the outbox, and Kafka, in commit order.
 */
@Entity({ name: 'stockpiles' })
export class StockpileEntity {
  @PrimaryColumn({ type: 'text' })
  nation!: string;

  @PrimaryColumn({ name: 'item_code', type: 'text' })
  itemCode!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  quantity!: number;

  @Column({ name: 'minimum_required', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  minimumRequired!: number | null;

  @Column({ name: 'reported_at', type: 'timestamptz' })
  reportedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

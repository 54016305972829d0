import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../common/integer.transformer';

export type QaStatus = 'passed' | 'hold' | 'rejected';

/** A completed production lot and its current QA status. */
@Entity({ name: 'lots' })
export class LotEntity {
  @PrimaryColumn({ name: 'lot_id', type: 'text' })
  lotId!: string;

  @Column({ type: 'text' })
  manufacturer!: string;

  @Column({ type: 'text' })
  facility!: string;

  @Column({ name: 'item_code', type: 'text' })
  itemCode!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  quantity!: number;

  @Column({ name: 'completed_at', type: 'timestamptz' })
  completedAt!: Date;

  @Column({ name: 'qa_status', type: 'text' })
  qaStatus!: QaStatus;

  /** The completion report as first accepted: a repeated POST with the same id is compared to it. */
  @Column({ type: 'jsonb' })
  report!: Record<string, unknown>;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

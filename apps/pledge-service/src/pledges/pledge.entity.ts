import { bigintAsNumber } from '@tracker/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PledgeState = 'active' | 'cancelled';

/** A pledge as pledge-service records it (the system of record). */
@Entity({ name: 'pledges' })
export class PledgeEntity {
  @PrimaryColumn({ name: 'pledge_id', type: 'text' })
  pledgeId!: string;

  @Column({ type: 'text' })
  donor!: string;

  @Column({ type: 'text' })
  recipient!: string;

  @Column({ name: 'item_code', type: 'text' })
  itemCode!: string;

  /** `bigint`, read as a safe integer (≤ 10^9 by the contract). */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  quantity!: number;

  @Column({ name: 'target_date', type: 'date', nullable: true })
  targetDate!: string | null;

  @Column({ type: 'text' })
  status!: PledgeState;

  /** The announcement as first accepted: a repeated POST with the same id is compared to it. */
  @Column({ type: 'jsonb' })
  announcement!: Record<string, unknown>;

  @Column({ name: 'announced_at', type: 'timestamptz' })
  announcedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

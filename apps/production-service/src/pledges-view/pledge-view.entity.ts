import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../common/integer.transformer';

export type PledgeViewStatus = 'active' | 'cancelled';

/**
 * production-service's view of a pledge, fed only from tracker.pledges.v1: what allocations
 * need to know (its item, its quantity as amended, whether it was cancelled) and whose it is (its
 * donor and recipient, who see its allocations).
 */
@Entity({ name: 'pledges_view' })
export class PledgeViewEntity {
  @PrimaryColumn({ name: 'pledge_id', type: 'text' })
  pledgeId!: string;

  @Column({ type: 'text' })
  donor!: string;

  /** The receiving country; null for a pledge recorded before the view kept it. */
  @Column({ type: 'text', nullable: true })
  recipient!: string | null;

  @Column({ name: 'item_code', type: 'text' })
  itemCode!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  quantity!: number;

  @Column({ type: 'text' })
  status!: PledgeViewStatus;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

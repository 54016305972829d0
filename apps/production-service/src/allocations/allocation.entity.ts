import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../common/integer.transformer';

/** Units of one lot earmarked for one pledge. */
@Entity({ name: 'allocations' })
export class AllocationEntity {
  @PrimaryColumn({ name: 'allocation_id', type: 'text' })
  allocationId!: string;

  @Column({ name: 'lot_id', type: 'text' })
  lotId!: string;

  @Column({ name: 'pledge_id', type: 'text' })
  pledgeId!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  quantity!: number;

  @Column({ name: 'allocated_at', type: 'timestamptz' })
  allocatedAt!: Date;
}

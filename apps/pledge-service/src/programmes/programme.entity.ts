import { bigintAsNumber } from '@tracker/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An aid programme as pledge-service records it: its latest declaration. */
@Entity({ name: 'programmes' })
export class ProgrammeEntity {
  @PrimaryColumn({ name: 'programme_id', type: 'text' })
  programmeId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'item_code', type: 'text' })
  itemCode!: string;

  /** `bigint`, read as a safe integer (≤ 10^9 by the contract). */
  @Column({ name: 'target_quantity', type: 'bigint', transformer: bigintAsNumber })
  targetQuantity!: number;

  @Column({ type: 'date' })
  deadline!: string;

  /** The latest declaration as accepted: a repeated POST is compared to it. */
  @Column({ type: 'jsonb' })
  declaration!: Record<string, unknown>;

  /** When the programme was first declared. */
  @Column({ name: 'declared_at', type: 'timestamptz' })
  declaredAt!: Date;

  /** When its declaration last changed. */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

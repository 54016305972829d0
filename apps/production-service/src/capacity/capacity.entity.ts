import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A declared capacity of one production line for one item, as first accepted. */
@Entity({ name: 'capacity_declarations' })
export class CapacityEntity {
  @PrimaryColumn({ name: 'capacity_id', type: 'text' })
  capacityId!: string;

  @Column({ type: 'text' })
  manufacturer!: string;

  @Column({ name: 'item_code', type: 'text' })
  itemCode!: string;

  /** The declaration as published: a repeated POST with the same id is compared to it. */
  @Column({ type: 'jsonb' })
  declaration!: Record<string, unknown>;

  @Column({ name: 'declared_at', type: 'timestamptz' })
  declaredAt!: Date;
}

import { ShipmentDeliveredV1, ShipmentDispatchedV1, ShipmentMilestoneV1 } from '@tracker/contracts';
import { bigintAsNumber } from '@tracker/platform';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where a shipment stands: on its way, on its way after a reported loss (no more milestones), or
 * received (nothing more).
 */
export type ShipmentStatus = 'in-transit' | 'lost' | 'delivered';

/** A shipment as shipment-service records it (the system of record). */
@Entity({ name: 'shipments' })
export class ShipmentEntity {
  @PrimaryColumn({ name: 'shipment_id', type: 'text' })
  shipmentId!: string;

  @Column({ name: 'pledge_id', type: 'text' })
  pledgeId!: string;

  /** The producer organisation owning the shipment; null for one an admin dispatched for no one. */
  @Column({ type: 'text', nullable: true })
  producer!: string | null;

  /** The donor of the pledge, as the pledges view knew it at dispatch (who may read it). */
  @Column({ type: 'text', nullable: true })
  donor!: string | null;

  @Column({ name: 'item_code', type: 'text' })
  itemCode!: string;

  /** `bigint`, read as a safe integer (≤ 10^9 by the contract). */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  quantity!: number;

  @Column({ type: 'text' })
  status!: ShipmentStatus;

  /** Units reported lost so far. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  lost!: number;

  /** The dispatch as first accepted: a repeated dispatch with the same id is compared to it. */
  @Column({ type: 'jsonb' })
  dispatch!: ShipmentDispatchedV1;

  @Column({ name: 'last_milestone', type: 'jsonb', nullable: true })
  lastMilestone!: ShipmentMilestoneV1 | null;

  @Column({ type: 'jsonb', nullable: true })
  delivery!: ShipmentDeliveredV1 | null;

  @Column({ name: 'dispatched_at', type: 'timestamptz' })
  dispatchedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

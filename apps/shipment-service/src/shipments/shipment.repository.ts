import { Injectable } from '@nestjs/common';
import { ShipmentMilestoneV1 } from '@tracker/contracts';
import { Transaction } from '@tracker/outbox';
import { DataSource } from 'typeorm';
import { ShipmentEntity } from './shipment.entity';

/** What a milestone, a delivery or a loss changes on a shipment. */
export type ShipmentChanges = Partial<
  Pick<ShipmentEntity, 'status' | 'lost' | 'lastMilestone' | 'delivery'>
>;

/** A milestone as recorded: the reported fact, who reported it and when the service took it. */
export interface RecordedMilestone {
  readonly milestone: ShipmentMilestoneV1;
  readonly recordedBy: string;
  readonly recordedAt: Date;
}

/** The only code that touches the `shipments` and `shipment_milestones` tables. */
@Injectable()
export class ShipmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The shipment, its row locked until the transaction ends; undefined when there is none. */
  async lock(tx: Transaction, shipmentId: string): Promise<ShipmentEntity | undefined> {
    const shipment = await tx.manager
      .getRepository(ShipmentEntity)
      .createQueryBuilder('shipment')
      .setLock('pessimistic_write')
      .where('shipment.shipment_id = :shipmentId', { shipmentId })
      .getOne();
    return shipment ?? undefined;
  }

  /** Inserts a new shipment; false when one with its id exists (a concurrent dispatch). */
  async insert(tx: Transaction, shipment: ShipmentEntity): Promise<boolean> {
    const result = await tx.manager
      .createQueryBuilder()
      .insert()
      .into(ShipmentEntity)
      .values(shipment)
      .orIgnore()
      .returning(['shipmentId'])
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  async update(tx: Transaction, shipmentId: string, changes: ShipmentChanges): Promise<void> {
    await tx.manager
      .getRepository(ShipmentEntity)
      .update({ shipmentId }, { ...changes, updatedAt: new Date() });
  }

  /**
   * Units shipped against a pledge: by `producer` when given, else by everyone; `lost` are the
   * units of those shipments reported lost on the way.
   */
  async shippedAgainst(
    tx: Transaction,
    pledgeId: string,
    producer?: string,
  ): Promise<{ shipped: number; lost: number }> {
    const rows: { shipped: string; lost: string }[] = await tx.manager.query(
      `select coalesce(sum(quantity), 0)::text as shipped, coalesce(sum(lost), 0)::text as lost
       from shipments where pledge_id = $1 and ($2::text is null or producer = $2)`,
      [pledgeId, producer ?? null],
    );
    return { shipped: Number(rows[0].shipped), lost: Number(rows[0].lost) };
  }

  /** Keeps a milestone beside the shipment's latest one, in the order it was recorded. */
  async recordMilestone(
    tx: Transaction,
    milestone: ShipmentMilestoneV1,
    recordedBy: string,
  ): Promise<void> {
    await tx.manager.query(
      `insert into shipment_milestones (shipment_id, milestone, recorded_by, recorded_at)
       values ($1, $2, $3, now())`,
      [milestone.shipmentId, milestone, recordedBy],
    );
  }

  /** The shipments sent against a pledge, in dispatch order (ties by id). */
  ofPledge(pledgeId: string): Promise<ShipmentEntity[]> {
    return this.dataSource
      .getRepository(ShipmentEntity)
      .find({ where: { pledgeId }, order: { dispatchedAt: 'ASC', shipmentId: 'ASC' } });
  }

  /** The milestones of the shipments, each shipment's in the order they were recorded. */
  async milestonesOf(shipmentIds: readonly string[]): Promise<Map<string, RecordedMilestone[]>> {
    const rows: {
      shipment_id: string;
      milestone: ShipmentMilestoneV1;
      recorded_by: string;
      recorded_at: Date;
    }[] = await this.dataSource.query(
      `select shipment_id, milestone, recorded_by, recorded_at from shipment_milestones
       where shipment_id = any($1) order by seq`,
      [shipmentIds],
    );
    const milestones = new Map<string, RecordedMilestone[]>();
    for (const row of rows) {
      const recorded = {
        milestone: row.milestone,
        recordedBy: row.recorded_by,
        recordedAt: row.recorded_at,
      };
      milestones.set(row.shipment_id, [...(milestones.get(row.shipment_id) ?? []), recorded]);
    }
    return milestones;
  }

  async find(shipmentId: string): Promise<ShipmentEntity | undefined> {
    const shipment = await this.dataSource.getRepository(ShipmentEntity).findOneBy({ shipmentId });
    return shipment ?? undefined;
  }
}

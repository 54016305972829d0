import { Injectable } from '@nestjs/common';
import { Transaction } from '@tracker/outbox';
import { DataSource } from 'typeorm';
import { ShipmentEntity } from './shipment.entity';

/** What a milestone, a delivery or a loss changes on a shipment. */
export type ShipmentChanges = Partial<
  Pick<ShipmentEntity, 'status' | 'lost' | 'lastMilestone' | 'delivery'>
>;

/** The only code that touches the `shipments` table. */
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

  async find(shipmentId: string): Promise<ShipmentEntity | undefined> {
    const shipment = await this.dataSource.getRepository(ShipmentEntity).findOneBy({ shipmentId });
    return shipment ?? undefined;
  }
}

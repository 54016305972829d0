import { Injectable } from '@nestjs/common';
import { Transaction } from '@tracker/outbox';

/**
 * pledge-service's view of shipments: which pledge each shipment serves and what its receipt
 * accepted. Either fact may arrive first; each upsert fills in its own column.
 */
@Injectable()
export class ShipmentsViewRepository {
  async recordDispatch(tx: Transaction, shipmentId: string, pledgeId: string): Promise<void> {
    await tx.manager.query(
      `insert into shipments_view (shipment_id, pledge_id) values ($1, $2)
       on conflict (shipment_id) do update set pledge_id = excluded.pledge_id`,
      [shipmentId, pledgeId],
    );
  }

  async recordAccepted(tx: Transaction, shipmentId: string, accepted: number): Promise<void> {
    await tx.manager.query(
      `insert into shipments_view (shipment_id, accepted) values ($1, $2)
       on conflict (shipment_id) do update set accepted = excluded.accepted`,
      [shipmentId, accepted],
    );
  }
}

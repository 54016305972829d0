import { Injectable } from '@nestjs/common';
import { EventOnTopic, TOPICS } from '@tracker/contracts';
import { Transaction, UnitOfWork } from '@tracker/outbox';
import { ShipmentsViewRepository } from './shipments-view.repository';

type ShipmentEvent = EventOnTopic<typeof TOPICS.shipments>;

/** Keeps pledge-service's view of shipments: which pledge each serves, what its receipt accepted. */
@Injectable()
export class ShipmentsViewService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly view: ShipmentsViewRepository,
  ) {}

  /** Applies one shipment event once (re-deliveries are recognised by event id). */
  apply(event: ShipmentEvent): Promise<void> {
    return this.unitOfWork.run((tx) => this.applyIn(tx, event));
  }

  /** Applies a fetched batch of shipment events in one transaction, each once. */
  applyAll(events: readonly ShipmentEvent[]): Promise<void> {
    return this.unitOfWork.run(async (tx) => {
      for (const event of events) await this.applyIn(tx, event);
    });
  }

  private async applyIn(tx: Transaction, event: ShipmentEvent): Promise<void> {
    if (!(await tx.firstDelivery(event.id))) return;
    if (event.type === 'tracker.shipment.dispatched.v1') {
      await this.view.recordDispatch(tx, event.data.shipmentId, event.data.pledgeId);
    } else if (event.type === 'tracker.shipment.delivered.v1') {
      await this.view.recordAccepted(tx, event.data.shipmentId, event.data.acceptedQuantity);
    }
  }
}

import { Injectable } from '@nestjs/common';
import { Role } from '@tracker/config';
import {
  EventOf,
  EventOnTopic,
  EventType,
  inboundShipmentsTopic,
  PayloadOf,
  TOPICS,
  TrackerEvent,
} from '@tracker/contracts';
import { EventFactory, Transaction, UnitOfWork } from '@tracker/outbox';
import { Applied, ShipmentService } from '../shipments/shipment.service';

/** A shipment event as a producer system published it on its tracker.inbound.<org>.shipments.v1. */
export type InboundEvent = EventOnTopic<typeof TOPICS.inboundShipments>;

/**
 * Applies producers' shipment events through the same rules as the HTTP routes, in one
 * transaction with the re-published event (outbox) and the record of the event id, so a
 * re-delivered or re-sent event is applied once.
 */
@Injectable()
export class InboundService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly shipments: ShipmentService,
    private readonly events: EventFactory,
  ) {}

  /**
   * Applies one event of producer organisation `producer`, under that producer's rules;
   * refusals are DomainErrors. Event ids are remembered per organisation's topic, so one
   * producer cannot suppress another's event by taking its id first.
   */
  apply(event: InboundEvent, producer: string): Promise<void> {
    const role: Role = { kind: 'producer', org: producer };
    return this.unitOfWork.run(async (tx) => {
      if (!(await tx.firstDelivery(`${inboundShipmentsTopic(producer)}:${event.id}`))) return;
      const accepted = await this.applyEvent(tx, role, producer, event);
      if (accepted !== undefined) tx.emit(accepted);
    });
  }

  private async applyEvent(
    tx: Transaction,
    role: Role,
    producer: string,
    event: InboundEvent,
  ): Promise<TrackerEvent | undefined> {
    switch (event.type) {
      case 'tracker.shipment.dispatched.v1':
        return this.republished(
          event.type,
          event,
          await this.shipments.applyDispatch(tx, role, event.data, {
            owner: producer,
            timeGiven: true,
          }),
        );
      case 'tracker.shipment.milestone.v1':
        return this.republished(
          event.type,
          event,
          await this.shipments.applyMilestone(tx, role, event.data),
        );
      case 'tracker.shipment.delivered.v1':
        return this.republished(
          event.type,
          event,
          await this.shipments.applyDelivery(tx, role, event.data),
        );
      case 'tracker.shipment.delivery-corrected.v1':
        return this.republished(
          event.type,
          event,
          await this.shipments.applyCorrection(tx, role, event.data),
        );
      case 'tracker.shipment.lost.v1':
        return this.republished(
          event.type,
          event,
          await this.shipments.applyLoss(tx, role, event.data),
        );
    }
  }

  /**
   * The accepted fact as it is re-published on tracker.shipments.v1: the producer's event id,
   * source, time and type, with the payload as the rules completed it. Undefined when nothing
   * changed (a dispatch repeating a recorded one).
   */
  private republished<T extends EventType>(
    type: T,
    event: Pick<TrackerEvent, 'id' | 'source' | 'time'>,
    applied: Applied<PayloadOf<T>>,
  ): EventOf<T> | undefined {
    return applied.fact === undefined
      ? undefined
      : this.events.republish(type, applied.fact, event);
  }
}

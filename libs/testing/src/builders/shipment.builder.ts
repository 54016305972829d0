import { LotCompletedV1, PledgeAnnouncedV1, ShipmentDispatchedV1 } from '@tracker/contracts';
import { newId, nextLotNumber } from './ids';
import { PayloadBuilder } from './payload.builder';

type ShipmentRef = Pick<ShipmentDispatchedV1, 'shipmentId'> | string;
const shipmentIdOf = (shipment: ShipmentRef) =>
  typeof shipment === 'string' ? shipment : shipment.shipmentId;

/** A `tracker.shipment.dispatched.v1` payload. */
export class ShipmentBuilder extends PayloadBuilder<'tracker.shipment.dispatched.v1'> {
  withShipmentId(shipmentId: string): this {
    return this.with('shipmentId', shipmentId);
  }
  /** Ships towards this pledge, of its item. */
  forPledge(pledge: Pick<PledgeAnnouncedV1, 'pledgeId' | 'itemCode'>): this {
    return this.withFields({ pledgeId: pledge.pledgeId, itemCode: pledge.itemCode });
  }
  withQuantity(quantity: number): this {
    return this.with('quantity', quantity);
  }
  from(origin: string): this {
    return this.with('origin', origin);
  }
  to(destination: string): this {
    return this.with('destination', destination);
  }
  dispatchedAt(dispatchedAt: string): this {
    return this.with('dispatchedAt', dispatchedAt);
  }
  withEta(eta: string): this {
    return this.with('eta', eta);
  }
  withLots(...lots: Array<Pick<LotCompletedV1, 'lotId'> | string>): this {
    return this.with(
      'lotIds',
      lots.map((lot) => (typeof lot === 'string' ? lot : lot.lotId)),
    );
  }
  /** Cites no lots: a donor's shipment from stocks, or a producer's that names none. */
  withoutLots(): this {
    return this.with('lotIds', undefined);
  }
  withCarrier(carrier: string): this {
    return this.with('carrier', carrier);
  }
  /** Names the sender, as shipment-service does: `producer:<org>`, `donor:<CC>` or `admin`. */
  sentBy(dispatchedBy: string): this {
    return this.with('dispatchedBy', dispatchedBy);
  }
}

/** One lot by rail from Unterlüß to the hub at Rzeszów, three days on the way. */
export function aShipment(): ShipmentBuilder {
  return new ShipmentBuilder(
    'tracker.shipment.dispatched.v1',
    {
      shipmentId: newId(),
      pledgeId: newId(),
      itemCode: 'AMMO-155MM',
      quantity: 2_400,
      origin: 'Unterlüß, DE',
      destination: 'Rzeszów, PL',
      dispatchedAt: '2026-03-20T07:00:00+01:00',
      eta: '2026-03-23T12:00:00+01:00',
      lotIds: [nextLotNumber()],
      carrier: 'DB Cargo',
    },
    '/shipment-service',
  );
}

/** A `tracker.shipment.milestone.v1` payload. */
export class MilestoneBuilder extends PayloadBuilder<'tracker.shipment.milestone.v1'> {
  forShipment(shipment: ShipmentRef): this {
    return this.with('shipmentId', shipmentIdOf(shipment));
  }
  withStatus(status: 'in-transit' | 'at-hub' | 'border-crossed' | 'customs' | 'handed-over'): this {
    return this.with('status', status);
  }
  at(at: string, location?: string): this {
    return location === undefined ? this.with('at', at) : this.withFields({ at, location });
  }
  withEta(eta: string): this {
    return this.with('eta', eta);
  }
}

/** The shipment reached the hub at Rzeszów. */
export function aMilestone(): MilestoneBuilder {
  return new MilestoneBuilder(
    'tracker.shipment.milestone.v1',
    {
      shipmentId: newId(),
      status: 'at-hub',
      location: 'Rzeszów, PL',
      at: '2026-03-22T15:00:00+01:00',
      eta: '2026-03-23T12:00:00+01:00',
    },
    '/shipment-service',
  );
}

/** A `tracker.shipment.delivered.v1` payload. */
export class DeliveryBuilder extends PayloadBuilder<'tracker.shipment.delivered.v1'> {
  /** Delivers this shipment, all of it received and accepted. */
  forShipment(shipment: Pick<ShipmentDispatchedV1, 'shipmentId' | 'quantity'>): this {
    return this.withFields({
      shipmentId: shipment.shipmentId,
      receivedQuantity: shipment.quantity,
      acceptedQuantity: shipment.quantity,
    });
  }
  /** Received and accepted in full. */
  withReceived(quantity: number): this {
    return this.withFields({ receivedQuantity: quantity, acceptedQuantity: quantity });
  }
  /** Rejects part of what was received; the rest stays accepted. */
  withRejected(quantity: number, reason: 'damaged' | 'incompatible' | 'quality' = 'damaged'): this {
    return this.withFields({
      acceptedQuantity: this.fields.receivedQuantity - quantity,
      rejectedQuantity: quantity,
      rejectionReason: reason,
    });
  }
  receivedAt(receivedAt: string): this {
    return this.with('receivedAt', receivedAt);
  }
  /** Whose receipt it is (`recipient:<CC>` or `admin`), as shipment-service names it. */
  reportedBy(reportedBy: string): this {
    return this.with('reportedBy', reportedBy);
  }
}

/** 2,400 rounds received and accepted on hand-over. */
export function aDelivery(): DeliveryBuilder {
  return new DeliveryBuilder(
    'tracker.shipment.delivered.v1',
    {
      shipmentId: newId(),
      receivedQuantity: 2_400,
      acceptedQuantity: 2_400,
      receivedAt: '2026-03-23T11:40:00+02:00',
    },
    '/shipment-service',
  );
}

/** A `tracker.shipment.delivery-corrected.v1` payload. */
export class DeliveryCorrectionBuilder extends PayloadBuilder<'tracker.shipment.delivery-corrected.v1'> {
  forShipment(shipment: ShipmentRef): this {
    return this.with('shipmentId', shipmentIdOf(shipment));
  }
  /** The receipt as it should have been: received, and of it accepted (the rest rejected). */
  withReceipt(received: number, accepted: number = received): this {
    return this.withFields({
      receivedQuantity: received,
      acceptedQuantity: accepted,
      rejectedQuantity: received - accepted,
    });
  }
  withReason(reason: string): this {
    return this.with('reason', reason);
  }
  correctedAt(correctedAt: string): this {
    return this.with('correctedAt', correctedAt);
  }
  reportedBy(reportedBy: string): this {
    return this.with('reportedBy', reportedBy);
  }
}

/** The recipient recounted: 2,352 of 2,400 accepted, 48 damaged. */
export function aDeliveryCorrection(): DeliveryCorrectionBuilder {
  return new DeliveryCorrectionBuilder(
    'tracker.shipment.delivery-corrected.v1',
    {
      shipmentId: newId(),
      receivedQuantity: 2_400,
      acceptedQuantity: 2_352,
      rejectedQuantity: 48,
      reason: 'Second count at the depot found 48 damaged rounds',
      correctedAt: '2026-03-24T08:15:00+02:00',
      reportedBy: 'recipient:UA',
    },
    '/shipment-service',
  );
}

/** A `tracker.shipment.lost.v1` payload. */
export class ShipmentLossBuilder extends PayloadBuilder<'tracker.shipment.lost.v1'> {
  forShipment(shipment: ShipmentRef): this {
    return this.with('shipmentId', shipmentIdOf(shipment));
  }
  withQuantity(quantity: number): this {
    return this.with('quantity', quantity);
  }
  withReason(reason: string): this {
    return this.with('reason', reason);
  }
}

export function aShipmentLoss(): ShipmentLossBuilder {
  return new ShipmentLossBuilder(
    'tracker.shipment.lost.v1',
    { shipmentId: newId(), quantity: 480, reason: 'Wagon destroyed at a railway depot' },
    '/shipment-service',
  );
}

import { ShipmentDeliveredV1, ShipmentDispatchedV1, ShipmentMilestoneV1 } from '@tracker/contracts';
import { ShipmentEntity, ShipmentStatus } from './shipment.entity';
import type { RecordedMilestone } from './shipment.repository';

/** A shipment as the API shows it: the dispatch, who owns it, and what happened to it since. */
export interface ShipmentView extends ShipmentDispatchedV1 {
  /** The latest estimate of arrival: a milestone's revision, else the dispatch's. */
  readonly eta?: string;
  readonly producer: string | null;
  readonly status: ShipmentStatus;
  readonly lost: number;
  readonly lastMilestone: Omit<ShipmentMilestoneV1, 'shipmentId'> | null;
  readonly delivery: Omit<ShipmentDeliveredV1, 'shipmentId'> | null;
}

/** A milestone as recorded: the reported fact, by whom and when shipment-service took it. */
export type MilestoneView = Omit<ShipmentMilestoneV1, 'shipmentId'> & {
  readonly recordedBy: string;
  readonly recordedAt: string;
};

/**
 * A shipment in the listing of its pledge: with the estimate of arrival its dispatch gave (`eta`
 * is the latest) and every milestone, in the order recorded.
 */
export interface PledgeShipmentView extends ShipmentView {
  readonly dispatchEta?: string;
  readonly milestones: readonly MilestoneView[];
}

export function milestoneView(recorded: RecordedMilestone): MilestoneView {
  const { shipmentId: _shipmentId, ...milestone } = recorded.milestone;
  return {
    ...milestone,
    recordedBy: recorded.recordedBy,
    recordedAt: recorded.recordedAt.toISOString(),
  };
}

function withoutId<T extends { shipmentId: string }>(fact: T | null): Omit<T, 'shipmentId'> | null {
  if (fact === null) return null;
  const { shipmentId: _shipmentId, ...rest } = fact;
  return rest;
}

export function view(shipment: ShipmentEntity): ShipmentView {
  const eta = shipment.lastMilestone?.eta ?? shipment.dispatch.eta;
  return {
    ...shipment.dispatch,
    ...(eta === undefined ? {} : { eta }),
    producer: shipment.producer,
    status: shipment.status,
    lost: shipment.lost,
    lastMilestone: withoutId(shipment.lastMilestone),
    delivery: withoutId(shipment.delivery),
  };
}

export function toEntity(
  dispatch: ShipmentDispatchedV1,
  producer: string | null,
  donor: string | null,
): ShipmentEntity {
  const entity = new ShipmentEntity();
  entity.shipmentId = dispatch.shipmentId;
  entity.pledgeId = dispatch.pledgeId;
  entity.producer = producer;
  entity.donor = donor;
  entity.itemCode = dispatch.itemCode;
  entity.quantity = dispatch.quantity;
  entity.status = 'in-transit';
  entity.lost = 0;
  entity.dispatch = dispatch;
  entity.lastMilestone = null;
  entity.delivery = null;
  entity.dispatchedAt = new Date(dispatch.dispatchedAt);
  entity.updatedAt = new Date();
  return entity;
}

import { z } from 'zod';
import {
  EntityId,
  ItemCode,
  oneOf,
  payload,
  Quantity,
  rule,
  text,
  TEXT_LIMITS,
  Timestamp,
} from './common';
import { defineEventType } from './envelope';

export const MILESTONE_STATUSES = [
  'in-transit',
  'at-hub',
  'border-crossed',
  'customs',
  'handed-over',
] as const;
export const REJECTION_REASONS = ['damaged', 'incompatible', 'quality'] as const;
/** Most lots one shipment may list. */
export const MAX_LOTS_PER_SHIPMENT = 100;

const lotIdsRule = rule(`must be a list of 1 to ${MAX_LOTS_PER_SHIPMENT} lot ids`);

/**
 * `producer:rheinmetall`, `donor:DE`, `admin`: the party that sent a shipment (DESIGN.md §4a).
 * shipment-service sets it on every dispatch it publishes.
 */
export const DispatchedBy = z
  .string()
  .regex(
    /^(admin|producer:[a-z0-9]+(-[a-z0-9]+)*|donor:[A-Z]{2})$/,
    rule('must be admin, producer:<org> or donor:<CC>'),
  )
  .describe(
    'Who sent the shipment: the producer whose allocation it ships, the donor shipping from its own stocks, or an admin dispatching for no producer.',
  );

/** Goods for a pledge leave their origin. */
export const ShipmentDispatchedV1 = payload({
  shipmentId: EntityId,
  pledgeId: EntityId,
  itemCode: ItemCode,
  quantity: Quantity.describe('Units dispatched.'),
  origin: text(TEXT_LIMITS.name).describe('Place of dispatch, e.g. Unterlüß, DE.'),
  destination: text(TEXT_LIMITS.name).describe('Hand-over place, e.g. Rzeszów, PL.'),
  dispatchedAt: Timestamp,
  eta: Timestamp.describe('Estimated arrival: an estimate, not a fact.').optional(),
  lotIds: z
    .array(EntityId, lotIdsRule)
    .min(1, lotIdsRule)
    .max(MAX_LOTS_PER_SHIPMENT, lotIdsRule)
    .describe('Lots in the shipment, for lot tracking.')
    .optional(),
  carrier: text(TEXT_LIMITS.name).optional(),
  dispatchedBy: DispatchedBy.optional(),
});
export type ShipmentDispatchedV1 = z.infer<typeof ShipmentDispatchedV1>;

/** A shipment reached a point on its way. */
export const ShipmentMilestoneV1 = payload({
  shipmentId: EntityId,
  status: oneOf(MILESTONE_STATUSES),
  location: text(TEXT_LIMITS.name).optional(),
  at: Timestamp,
  eta: Timestamp.describe('Revised estimated arrival: an estimate, not a fact.').optional(),
});
export type ShipmentMilestoneV1 = z.infer<typeof ShipmentMilestoneV1>;

/** `recipient:UA`, `admin`: the party whose receipt this is (DESIGN.md §4a). */
export const ReportedBy = z
  .string()
  .regex(/^(admin|recipient:[A-Z]{2})$/, rule('must be admin or recipient:<CC>'))
  .describe(
    "Who confirmed the receipt: the pledge's recipient (or an admin). Accepted and rejected quantities are its facts.",
  );

/** The recipient signed for a shipment: what arrived and what it accepted. */
export const ShipmentDeliveredV1 = payload({
  shipmentId: EntityId,
  receivedQuantity: Quantity,
  acceptedQuantity: Quantity,
  rejectedQuantity: Quantity.optional(),
  rejectionReason: oneOf(REJECTION_REASONS).optional(),
  receivedAt: Timestamp,
  reportedBy: ReportedBy.optional(),
});
export type ShipmentDeliveredV1 = z.infer<typeof ShipmentDeliveredV1>;

/**
 * A delivery receipt reported wrongly is corrected: the shipment's receipt is now these figures,
 * replacing the earlier receipt (and any earlier correction) as a whole. Nothing is overwritten:
 * the receipt and every correction stay in the log; the reason says why. The recipient's (or an
 * admin's) fact, like the receipt it corrects.
 */
export const ShipmentDeliveryCorrectedV1 = payload({
  shipmentId: EntityId,
  receivedQuantity: Quantity,
  acceptedQuantity: Quantity,
  rejectedQuantity: Quantity.optional(),
  rejectionReason: oneOf(REJECTION_REASONS).optional(),
  reason: text(TEXT_LIMITS.reason).describe(
    'Why the receipt was wrong, e.g. "miscounted pallets".',
  ),
  correctedAt: Timestamp,
  reportedBy: ReportedBy.optional(),
});
export type ShipmentDeliveryCorrectedV1 = z.infer<typeof ShipmentDeliveryCorrectedV1>;

/** Goods of a shipment were lost on the way. */
export const ShipmentLostV1 = payload({
  shipmentId: EntityId,
  quantity: Quantity.describe('Units lost.'),
  reason: text(TEXT_LIMITS.reason),
});
export type ShipmentLostV1 = z.infer<typeof ShipmentLostV1>;

const byShipment = { subject: ['shipmentId'], key: ['shipmentId'] } as const;

export const shipmentDispatchedV1 = defineEventType(
  'tracker.shipment.dispatched.v1',
  ShipmentDispatchedV1,
  { ...byShipment, occurredAt: 'dispatchedAt', description: 'A shipment left its origin.' },
);
export const shipmentMilestoneV1 = defineEventType(
  'tracker.shipment.milestone.v1',
  ShipmentMilestoneV1,
  { ...byShipment, occurredAt: 'at', description: 'A shipment reached a milestone.' },
);
export const shipmentDeliveredV1 = defineEventType(
  'tracker.shipment.delivered.v1',
  ShipmentDeliveredV1,
  { ...byShipment, occurredAt: 'receivedAt', description: 'A shipment was received.' },
);
export const shipmentDeliveryCorrectedV1 = defineEventType(
  'tracker.shipment.delivery-corrected.v1',
  ShipmentDeliveryCorrectedV1,
  {
    ...byShipment,
    occurredAt: 'correctedAt',
    description: "A shipment's delivery receipt was corrected, with the reason.",
  },
);
export const shipmentLostV1 = defineEventType('tracker.shipment.lost.v1', ShipmentLostV1, {
  ...byShipment,
  description: 'Goods of a shipment were lost.',
});

export type ShipmentDispatchedV1Event = z.infer<typeof shipmentDispatchedV1.event>;
export type ShipmentMilestoneV1Event = z.infer<typeof shipmentMilestoneV1.event>;
export type ShipmentDeliveredV1Event = z.infer<typeof shipmentDeliveredV1.event>;
export type ShipmentDeliveryCorrectedV1Event = z.infer<typeof shipmentDeliveryCorrectedV1.event>;
export type ShipmentLostV1Event = z.infer<typeof shipmentLostV1.event>;

/** Event types of tracker.shipments.v1 and the inbound topics tracker.inbound.<org>.shipments.v1. */
export const shipmentEventTypesV1 = [
  shipmentDispatchedV1,
  shipmentMilestoneV1,
  shipmentDeliveredV1,
  shipmentLostV1,
  shipmentDeliveryCorrectedV1,
] as const;

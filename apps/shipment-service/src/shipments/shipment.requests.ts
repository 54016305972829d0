import {
  notAheadOfClock,
  OrganisationCode,
  PositiveQuantity,
  ShipmentDeliveredV1,
  ShipmentDeliveryCorrectedV1,
  ShipmentDispatchedV1,
  ShipmentLostV1,
  ShipmentMilestoneV1,
} from '@tracker/contracts';
import { z } from 'zod';

const positiveQuantity = PositiveQuantity;

/**
 * Body of POST /v1/shipments: the dispatch payload; the id and time may be left out (a UUID v7
 * and now). `producer` names the owning organisation: a producer token owns what it dispatches
 * (it may repeat its own organisation, nothing else); an admin may dispatch for a producer.
 * The sender (`dispatchedBy` of the event) is the service's to say, not the body's.
 */
export const DispatchShipmentRequest = notAheadOfClock(
  ShipmentDispatchedV1.omit({ dispatchedBy: true })
    .extend({
      shipmentId: ShipmentDispatchedV1.shape.shipmentId
        .optional()
        .describe('Left out: a UUID v7 is minted.'),
      dispatchedAt: ShipmentDispatchedV1.shape.dispatchedAt.optional().describe('Left out: now.'),
      quantity: positiveQuantity.describe('Units dispatched, at least 1.'),
      producer: OrganisationCode.optional().describe(
        'Organisation owning the shipment (admin only; a producer token owns its own shipments).',
      ),
    })
    .strict(),
  'tracker.shipment.dispatched.v1',
);
export type DispatchShipmentBody = z.infer<typeof DispatchShipmentRequest>;

/** Body of POST /v1/shipments/:id/milestones; `at` left out means now. */
export const RecordMilestoneRequest = notAheadOfClock(
  ShipmentMilestoneV1.omit({ shipmentId: true })
    .extend({ at: ShipmentMilestoneV1.shape.at.optional().describe('Left out: now.') })
    .strict(),
  'tracker.shipment.milestone.v1',
);
export type RecordMilestoneBody = z.infer<typeof RecordMilestoneRequest>;

/**
 * Body of POST /v1/shipments/:id/delivery; `receivedAt` left out means now, `rejectedQuantity`
 * left out means received − accepted.
 */
export const RecordDeliveryRequest = notAheadOfClock(
  ShipmentDeliveredV1.omit({ shipmentId: true })
    .extend({
      receivedAt: ShipmentDeliveredV1.shape.receivedAt.optional().describe('Left out: now.'),
    })
    .strict(),
  'tracker.shipment.delivered.v1',
);
export type RecordDeliveryBody = z.infer<typeof RecordDeliveryRequest>;

/**
 * Body of POST /v1/shipments/:id/delivery/corrections: the receipt as it should have been, and
 * why; `correctedAt` left out means now, `rejectedQuantity` left out means received − accepted.
 * Who corrects it (`reportedBy`) is the service's to say, not the body's.
 */
export const CorrectDeliveryRequest = notAheadOfClock(
  ShipmentDeliveryCorrectedV1.omit({ shipmentId: true, reportedBy: true })
    .extend({
      correctedAt: ShipmentDeliveryCorrectedV1.shape.correctedAt
        .optional()
        .describe('Left out: now.'),
    })
    .strict(),
  'tracker.shipment.delivery-corrected.v1',
);
export type CorrectDeliveryBody = z.infer<typeof CorrectDeliveryRequest>;

/**
 * Body of POST /v1/shipments/:id/loss. Body types are named apart from their schemas (`…Body`):
 * a parameter typed with the schema's own name would hand the schema object to Nest's
 * reflection as if it were a class.
 */
export const RecordLossRequest = ShipmentLostV1.omit({ shipmentId: true })
  .extend({ quantity: positiveQuantity.describe('Units lost, at least 1.') })
  .strict();
export type RecordLossBody = z.infer<typeof RecordLossRequest>;

/**
 * Query of GET /v1/shipments: the pledge whose shipments to list (required; there is no listing
 * of every shipment).
 */
export const ListShipmentsQuery = z
  .object({ pledgeId: ShipmentDispatchedV1.shape.pledgeId.describe("The pledge's id.") })
  .strict();
export type ListShipmentsFilter = z.infer<typeof ListShipmentsQuery>;

import {
  notAheadOfClock,
  PledgeAmendedV1,
  PledgeAnnouncedV1,
  PledgeCancelledV1,
  PositiveQuantity,
  rule,
} from '@tracker/contracts';
import { z } from 'zod';

/**
 * Body of POST /v1/pledges: the announcement payload; the id and time may be left out. An
 * `announcedAt` further ahead than MAX_CLOCK_SKEW is refused.
 */
export const AnnouncePledgeRequest = notAheadOfClock(
  PledgeAnnouncedV1.extend({
    pledgeId: PledgeAnnouncedV1.shape.pledgeId.optional(),
    announcedAt: PledgeAnnouncedV1.shape.announcedAt.optional(),
    quantity: PositiveQuantity.describe('Promised quantity, at least 1.'),
  }).strict(),
  'tracker.pledge.announced.v1',
);
export type AnnouncePledgeBody = z.infer<typeof AnnouncePledgeRequest>;

/** Body of PATCH /v1/pledges/:id: a new quantity, a new target date, or both, with a reason. */
export const AmendPledgeRequest = PledgeAmendedV1.omit({ pledgeId: true })
  .extend({ quantity: PositiveQuantity.describe('New total promised quantity.').optional() })
  .strict()
  .refine((body) => body.quantity !== undefined || body.targetDate !== undefined, {
    message: 'must change quantity or targetDate',
    path: ['quantity'],
  });
export type AmendPledgeBody = z.infer<typeof AmendPledgeRequest>;

/** Body of POST /v1/pledges/:id/cancel. */
export const CancelPledgeRequest = PledgeCancelledV1.omit({ pledgeId: true }).strict();
export type CancelPledgeBody = z.infer<typeof CancelPledgeRequest>;

/**
 * Query of GET /v1/pledges. Types of request bodies and queries are named apart from their
 * schemas (`…Body`, `…Filter`): a parameter typed with the schema's own name would hand the
 * schema object to Nest's reflection as if it were a class.
 */
export const ListPledgesQuery = z
  .object({
    donor: PledgeAnnouncedV1.shape.donor.optional(),
    itemCode: PledgeAnnouncedV1.shape.itemCode.optional(),
    status: z.enum(['active', 'cancelled'], rule('must be active or cancelled')).optional(),
    limit: z.coerce
      .number(rule('must be an integer from 1 to 500'))
      .int()
      .min(1)
      .max(500)
      .default(100),
    after: PledgeAnnouncedV1.shape.pledgeId.optional(),
  })
  .strict();
export type ListPledgesFilter = z.infer<typeof ListPledgesQuery>;

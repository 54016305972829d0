import { ApiResponseOptions } from '@nestjs/swagger';
import { PledgeAnnouncedV1, rule } from '@tracker/contracts';
import { PUBLIC_PLEDGE_STATUSES } from '@tracker/read-model';
import { z } from 'zod';

const statusRule = `must be one of ${PUBLIC_PLEDGE_STATUSES.join(', ')}`;
const limitRule = 'must be an integer from 1 to 500';

/**
 * Query of `GET /public/v1/pledges`: filters, and a page of `limit` pledges after the pledge id
 * `after` (the `next` of the page before). Unknown parameters are refused.
 */
export const PublicPledgesQuery = z
  .object({
    donor: PledgeAnnouncedV1.shape.donor.optional(),
    itemCode: PledgeAnnouncedV1.shape.itemCode.optional(),
    status: z.enum(PUBLIC_PLEDGE_STATUSES, rule(statusRule)).optional(),
    after: PledgeAnnouncedV1.shape.pledgeId.optional(),
    limit: z.coerce
      .number(rule(limitRule))
      .int(rule(limitRule))
      .min(1, rule(limitRule))
      .max(500, rule(limitRule))
      .default(100),
  })
  .strict();
export type PublicPledgesFilter = z.infer<typeof PublicPledgesQuery>;

const cutoff = {
  asOf: z.iso.datetime().describe('The cutoff: facts recorded up to this instant are shown.'),
  delayDays: z.number().int().describe('PUBLIC_DELAY_DAYS: how far the cutoff lies behind now.'),
};
const count = z.number().int().min(0);

/** `GET /public/v1/summary`: pledged and delivered per donor, item and month. */
export const PublicSummaryAnswer = z.object({
  ...cutoff,
  rows: z.array(
    z.object({
      donor: z.string().describe('ISO 3166-1 alpha-2 of the donor.'),
      itemCode: z.string(),
      month: z.string().describe('YYYY-MM, UTC.'),
      pledged: count.describe(
        'Quantity of pledges announced that month, as amended, not cancelled.',
      ),
      pledgedValueCents: count.describe('Their announced value (where published), euro cents.'),
      delivered: count.describe('Quantity the recipient accepted that month.'),
      deliveredValueCents: count.describe('Its value at the pledge’s value per unit, euro cents.'),
    }),
  ),
  totals: z.object({ pledged: count, delivered: count }),
});

/** `GET /public/v1/pledges`: one page of pledges as announced, amended and delivered. */
export const PublicPledgesAnswer = z.object({
  ...cutoff,
  items: z.array(
    z.object({
      pledgeId: z.string(),
      donor: z.string(),
      recipient: z.string(),
      itemCode: z.string(),
      quantity: count.describe('Promised quantity, as last amended.'),
      valueCents: count.describe('Announced value scaled to the amended quantity.').optional(),
      announcedAt: z.string(),
      targetDate: z.string().describe('YYYY-MM-DD, as last amended.').optional(),
      purpose: z.string(),
      sourcing: z.string(),
      programme: z.string().optional(),
      confidence: z.string(),
      sourceUrl: z.string().optional(),
      status: z.enum(PUBLIC_PLEDGE_STATUSES),
      delivered: count.describe('Quantity the recipient accepted.'),
      cancelled: z.object({ at: z.string(), reason: z.string() }).optional(),
    }),
  ),
  next: z.string().describe('Pass as `after` for the next page; absent on the last.').optional(),
});

/** An OpenAPI 200 response described by a zod schema of the answer. */
export function answerSchema(schema: z.ZodType, description: string): ApiResponseOptions {
  return {
    description,
    schema: z.toJSONSchema(schema, { io: 'output', target: 'openapi-3.0' }) as never,
  };
}

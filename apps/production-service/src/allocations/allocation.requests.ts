import { AllocatedV1, PositiveQuantity } from '@tracker/contracts';
import { z } from 'zod';

/** Body of POST /v1/allocations: the allocation payload; the id may be left out (UUID v7). */
export const AllocateRequest = AllocatedV1.extend({
  allocationId: AllocatedV1.shape.allocationId.optional(),
  quantity: PositiveQuantity.describe('Units of the lot to allocate, at least 1.'),
}).strict();
export type AllocateBody = z.infer<typeof AllocateRequest>;

/**
 * Query of GET /v1/allocations: the pledge whose allocations to list (required; there is no
 * listing of every allocation). A zod schema, named `…Query`; the parsed type is `…Filter`.
 */
export const ListAllocationsQuery = z
  .object({ pledgeId: AllocatedV1.shape.pledgeId.describe("The pledge's id.") })
  .strict();
export type ListAllocationsFilter = z.infer<typeof ListAllocationsQuery>;

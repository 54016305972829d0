import { AllocatedV1, rule } from '@tracker/contracts';
import { z } from 'zod';

const positive = rule('must be a positive integer');

/** Body of POST /v1/allocations: the allocation payload; the id may be left out (UUID v7). */
export const AllocateRequest = AllocatedV1.extend({
  allocationId: AllocatedV1.shape.allocationId.optional(),
  quantity: z.int(positive).min(1, positive).describe('Units of the lot to allocate, at least 1.'),
}).strict();
export type AllocateBody = z.infer<typeof AllocateRequest>;

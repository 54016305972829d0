import { CapacityDeclaredV1 } from '@tracker/contracts';
import { z } from 'zod';

/** Body of POST /v1/capacity: the declaration payload; the id may be left out (UUID v7). */
export const DeclareCapacityRequest = CapacityDeclaredV1.extend({
  capacityId: CapacityDeclaredV1.shape.capacityId.optional(),
}).strict();
export type DeclareCapacityBody = z.infer<typeof DeclareCapacityRequest>;

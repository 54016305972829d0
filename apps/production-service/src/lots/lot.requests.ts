import { LotCompletedV1, LotQaChangedV1, rule } from '@tracker/contracts';
import { z } from 'zod';

const positive = rule('must be a positive integer');

/** Body of POST /v1/lots: the completion payload; `completedAt` may be left out (now). */
export const ReportLotRequest = LotCompletedV1.extend({
  completedAt: LotCompletedV1.shape.completedAt.optional(),
  quantity: z.int(positive).min(1, positive).describe('Units in the lot, at least 1.'),
}).strict();
export type ReportLotBody = z.infer<typeof ReportLotRequest>;

/** Body of POST /v1/lots/:id/qa: the new QA status (hold, passed = release, rejected), why. */
export const ChangeQaRequest = LotQaChangedV1.omit({ lotId: true }).strict();
export type ChangeQaBody = z.infer<typeof ChangeQaRequest>;

import {
  LotCompletedV1,
  LotQaChangedV1,
  notAheadOfClock,
  PositiveQuantity,
} from '@tracker/contracts';
import { z } from 'zod';

/** Body of POST /v1/lots: the completion payload; `completedAt` may be left out (now). */
export const ReportLotRequest = notAheadOfClock(
  LotCompletedV1.extend({
    completedAt: LotCompletedV1.shape.completedAt.optional(),
    quantity: PositiveQuantity.describe('Units in the lot, at least 1.'),
  }).strict(),
  'tracker.production.lot-completed.v1',
);
export type ReportLotBody = z.infer<typeof ReportLotRequest>;

/** Body of POST /v1/lots/:id/qa: the new QA status (hold, passed = release, rejected), why. */
export const ChangeQaRequest = LotQaChangedV1.omit({ lotId: true }).strict();
export type ChangeQaBody = z.infer<typeof ChangeQaRequest>;

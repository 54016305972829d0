import { notAheadOfClock, StockpileLevelReportedV1 } from '@tracker/contracts';
import { z } from 'zod';

/** Body of POST /v1/stockpiles: the level report; `at` may be left out (now). */
export const ReportStockpileRequest = notAheadOfClock(
  StockpileLevelReportedV1.extend({ at: StockpileLevelReportedV1.shape.at.optional() }).strict(),
  'tracker.stockpile.level-reported.v1',
);
export type ReportStockpileBody = z.infer<typeof ReportStockpileRequest>;

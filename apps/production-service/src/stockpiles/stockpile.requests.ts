import { StockpileLevelReportedV1 } from '@tracker/contracts';
import { z } from 'zod';

/** Body of POST /v1/stockpiles: the level report; `at` may be left out (now). */
export const ReportStockpileRequest = StockpileLevelReportedV1.extend({
  at: StockpileLevelReportedV1.shape.at.optional(),
}).strict();
export type ReportStockpileBody = z.infer<typeof ReportStockpileRequest>;

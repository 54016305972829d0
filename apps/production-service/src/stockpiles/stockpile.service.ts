import { Injectable } from '@nestjs/common';
import { maySee, Viewer } from '@tracker/access';
import { StockpileLevelReportedV1 } from '@tracker/contracts';
import { NotFound } from '@tracker/errors';
import { WriteRequest } from '@tracker/http';
import { EventFactory, UnitOfWork, Written } from '@tracker/outbox';
import { checkNationScope } from '../common/caller-scope';
import { stockpileFact } from '../common/read-scope';
import { StockpileEntity } from './stockpile.entity';
import { StockpileRepository } from './stockpile.repository';
import { ReportStockpileBody } from './stockpile.requests';

/** The latest level of one nation's stockpile of one item. */
export interface StockpileView {
  readonly nation: string;
  readonly itemCode: string;
  readonly quantity: number;
  readonly minimumRequired?: number;
  readonly at: string;
}

function view(stockpile: StockpileEntity): StockpileView {
  return {
    nation: stockpile.nation,
    itemCode: stockpile.itemCode,
    quantity: stockpile.quantity,
    ...(stockpile.minimumRequired === null ? {} : { minimumRequired: stockpile.minimumRequired }),
    at: stockpile.reportedAt.toISOString(),
  };
}

/**
 * Stockpile level reports, keyed `<nation>:<itemCode>`. Every report is published, late ones
 * too (the read side orders by `at`); the row keeps the latest level by `at`.
 */
@Injectable()
export class StockpileService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly stockpiles: StockpileRepository,
    private readonly events: EventFactory,
  ) {}

  report(
    request: WriteRequest,
    input: ReportStockpileBody,
  ): Promise<Written<StockpileLevelReportedV1>> {
    checkNationScope(request.caller.role, input.nation);
    const report: StockpileLevelReportedV1 = { ...input, at: input.at ?? new Date().toISOString() };
    return this.unitOfWork.write(request, async (tx) => {
      const stockpile = await this.stockpiles.lock(tx, report);
      if (Date.parse(report.at) >= stockpile.reportedAt.getTime()) {
        await this.stockpiles.record(tx, report);
      }
      tx.emit(this.events.create('tracker.stockpile.level-reported.v1', report));
      return report;
    });
  }

  /** A nation's level, to that nation (and admin, ops); 404 to others, as if there were none. */
  async get(viewer: Viewer, nation: string, itemCode: string): Promise<StockpileView> {
    const stockpile = await this.stockpiles.find(nation, itemCode);
    if (stockpile === undefined || !maySee(viewer, stockpileFact(stockpile))) {
      throw new NotFound('stockpile', `${nation}:${itemCode}`);
    }
    return view(stockpile);
  }
}

import { Injectable } from '@nestjs/common';
import { StockpileLevelReportedV1 } from '@tracker/contracts';
import { Transaction } from '@tracker/outbox';
import { DataSource } from 'typeorm';
import { StockpileEntity } from './stockpile.entity';

/** The only code that touches the `stockpiles` table. */
@Injectable()
export class StockpileRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The nation × item row, created from `report` when it is the first, locked until the
   * transaction ends either way.
   */
  async lock(tx: Transaction, report: StockpileLevelReportedV1): Promise<StockpileEntity> {
    await tx.manager.query(
      `insert into stockpiles (nation, item_code, quantity, minimum_required, reported_at)
       values ($1, $2, $3, $4, $5) on conflict (nation, item_code) do nothing`,
      [report.nation, report.itemCode, report.quantity, report.minimumRequired ?? null, report.at],
    );
    const stockpile = await tx.manager
      .getRepository(StockpileEntity)
      .createQueryBuilder('stockpile')
      .setLock('pessimistic_write')
      .where('stockpile.nation = :nation and stockpile.item_code = :itemCode', {
        nation: report.nation,
        itemCode: report.itemCode,
      })
      .getOneOrFail();
    return stockpile;
  }

  /** Makes `report` the stockpile's latest level. */
  async record(tx: Transaction, report: StockpileLevelReportedV1): Promise<void> {
    await tx.manager.getRepository(StockpileEntity).update(
      { nation: report.nation, itemCode: report.itemCode },
      {
        quantity: report.quantity,
        minimumRequired: report.minimumRequired ?? null,
        reportedAt: new Date(report.at),
        updatedAt: new Date(),
      },
    );
  }

  async find(nation: string, itemCode: string): Promise<StockpileEntity | undefined> {
    const stockpile = await this.dataSource
      .getRepository(StockpileEntity)
      .findOneBy({ nation, itemCode });
    return stockpile ?? undefined;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  KIEL_COLUMNS,
  kielRows,
  PublicFactSorter,
  publicFactTime,
  ReadModelReader,
} from '@tracker/read-model';
import { READ_MODEL } from '../read-model/read-model.module';
import type { RowWriter } from './row-writer';

/** How many ledger facts one read takes. */
const PAGE_SIZE = 2_000;

/**
 * The Kiel export (libs/read-model kiel-export.ts): the public ledger, as recorded when the
 * export starts and without the public view's delay, cut at `asOf` by event time, folded and
 * written row by row. The same public facts as the public view, so the same figures; they are
 * public (pledged and delivered per donor, item and month), so every token gets every row.
 */
@Injectable()
export class KielExportService {
  constructor(@Inject(READ_MODEL) private readonly reader: ReadModelReader) {}

  async write(asOf: string | undefined, writer: RowWriter): Promise<void> {
    const nowMs = Date.now();
    const asOfMs = asOf === undefined ? undefined : Date.parse(asOf);
    const sorter = new PublicFactSorter();
    for await (const page of this.reader.publicFactPages(nowMs, PAGE_SIZE)) {
      for (const { fact } of page) {
        const time = publicFactTime(fact);
        if (asOfMs !== undefined && time !== undefined && Date.parse(time) > asOfMs) continue;
        sorter.add(fact);
      }
    }
    await writer.write(KIEL_COLUMNS);
    const folded = sorter.pledges(asOf ?? new Date(nowMs).toISOString());
    for (const row of kielRows(folded))
      await writer.write(KIEL_COLUMNS.map((column) => row[column]));
    await writer.end();
  }
}

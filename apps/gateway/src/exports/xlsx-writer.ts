import { stream as excelStream } from 'exceljs';
import type { Writable } from 'node:stream';
import { Cell, RowWriter } from './row-writer';

/**
 * An XLSX workbook with one sheet, written row by row with exceljs's streaming writer
 * (`stream.xlsx.WorkbookWriter`): each row is committed and flushed to the response as it
 * comes, so a large export is never whole in memory.
 */
export class XlsxRowWriter implements RowWriter {
  private readonly workbook: excelStream.xlsx.WorkbookWriter;
  private readonly sheet: ReturnType<excelStream.xlsx.WorkbookWriter['addWorksheet']>;

  constructor(stream: Writable, sheetName: string) {
    this.workbook = new excelStream.xlsx.WorkbookWriter({
      stream,
      useStyles: false,
      useSharedStrings: false,
    });
    this.sheet = this.workbook.addWorksheet(sheetName);
  }

  write(row: readonly Cell[]): Promise<void> {
    this.sheet.addRow([...row]).commit();
    return Promise.resolve();
  }

  async end(): Promise<void> {
    this.sheet.commit();
    await this.workbook.commit();
  }
}

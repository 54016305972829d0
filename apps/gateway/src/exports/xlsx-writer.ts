import type { Writable } from 'node:stream';
import { Cell, RowWriter } from './row-writer';

/**
 * The part of exceljs's streaming writer the export uses (`stream.xlsx.WorkbookWriter`): rows are
 * committed one at a time and flushed to the stream, so the workbook is never whole in memory.
 */
interface StreamingWorkbook {
  addWorksheet(name: string): {
    addRow(values: readonly Cell[]): { commit(): void };
    commit(): void;
  };
  commit(): Promise<void>;
}
interface ExcelJs {
  readonly stream: {
    readonly xlsx: {
      WorkbookWriter: new (options: {
        stream: Writable;
        useStyles?: boolean;
        useSharedStrings?: boolean;
      }) => StreamingWorkbook;
    };
  };
}

let loaded: ExcelJs | null | undefined;

/**
 * exceljs, when it is installed (it is the XLSX library the export is written for); null when
 * it is not, and the XLSX export then answers 501.
 */
export function excelJs(): ExcelJs | null {
  if (loaded === undefined) {
    try {
      // A runtime require: the package is optional, so its absence is not a build error.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require('exceljs') as ExcelJs;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** An XLSX workbook with one sheet, written row by row with exceljs's streaming writer. */
export class XlsxRowWriter implements RowWriter {
  private readonly workbook: StreamingWorkbook;
  private readonly sheet: ReturnType<StreamingWorkbook['addWorksheet']>;

  constructor(exceljs: ExcelJs, stream: Writable, sheetName: string) {
    this.workbook = new exceljs.stream.xlsx.WorkbookWriter({
      stream,
      useStyles: false,
      useSharedStrings: false,
    });
    this.sheet = this.workbook.addWorksheet(sheetName);
  }

  write(row: readonly Cell[]): Promise<void> {
    this.sheet.addRow(row).commit();
    return Promise.resolve();
  }

  async end(): Promise<void> {
    this.sheet.commit();
    await this.workbook.commit();
  }
}

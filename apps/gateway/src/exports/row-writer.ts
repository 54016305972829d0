import type { Writable } from 'node:stream';

/** A cell of an exported row. */
export type Cell = string | number;

/**
 * Where an export writes its rows, one at a time: each write resolves once the destination
 * takes more (backpressure), so an export never holds more than the row in hand.
 */
export interface RowWriter {
  write(row: readonly Cell[]): Promise<void>;
  /** Writes what is left and ends the destination. */
  end(): Promise<void>;
}

/** Writes `chunk` to `stream`, resolving when the stream takes more (after 'drain' if need be). */
export function writeWithBackpressure(stream: Writable, chunk: string): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', drained);
      stream.off('close', closed);
      stream.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    const drained = () => done();
    const closed = () => done(new Error('the client went away'));
    stream.once('drain', drained);
    stream.once('close', closed);
    stream.once('error', done);
  });
}

/** A CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. */
function csvCell(cell: Cell): string {
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV, CRLF line ends, UTF-8. */
export class CsvRowWriter implements RowWriter {
  constructor(private readonly stream: Writable) {}

  write(row: readonly Cell[]): Promise<void> {
    return writeWithBackpressure(this.stream, `${row.map(csvCell).join(',')}\r\n`);
  }

  end(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}

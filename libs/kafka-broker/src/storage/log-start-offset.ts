import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from './file-io';

/**
 * `<partition dir>/log-start-offset`: the partition's log start offset as moved by
 * DeleteRecords, in decimal. It is the commit point of a DeleteRecords: written (atomically,
 * fsynced) before the request is answered. Retention needs no checkpoint: the first remaining
 * segment's base offset says where the log starts.
 */
export const LOG_START_OFFSET_FILE = 'log-start-offset';

/** The stored log start offset, or 0 when none was ever stored (or the file is unreadable). */
export async function readLogStartOffset(dir: string): Promise<number> {
  const text = await readFile(join(dir, LOG_START_OFFSET_FILE), 'utf8').catch(() => '');
  const value = /^\d+\n?$/.test(text) ? Number(text.trim()) : 0;
  return Number.isSafeInteger(value) ? value : 0;
}

export async function writeLogStartOffset(dir: string, offset: number): Promise<void> {
  await writeFileAtomically(join(dir, LOG_START_OFFSET_FILE), `${offset}\n`);
}

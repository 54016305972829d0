import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** `pread` of exactly `length` bytes at `position`; throws if the file is shorter. */
export async function readFully(
  file: FileHandle,
  position: number,
  length: number,
): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buf, done, length - done, position + done);
    if (bytesRead === 0) {
      throw new Error(
        `unexpected end of file at byte ${position + done}, wanted ${length - done} more`,
      );
    }
    done += bytesRead;
  }
  return buf;
}

/** `pwrite` of all `buffers` back to back at `position`, retrying short writes. */
export async function writeFully(
  file: FileHandle,
  buffers: Buffer[],
  position: number,
): Promise<number> {
  let pending = buffers.filter((b) => b.length > 0);
  let at = position;
  while (pending.length > 0) {
    const { bytesWritten } = await file.writev(pending, at);
    at += bytesWritten;
    pending = skipBytes(pending, bytesWritten);
  }
  return at - position;
}

function skipBytes(buffers: Buffer[], count: number): Buffer[] {
  let left = count;
  const rest: Buffer[] = [];
  for (const b of buffers) {
    if (left >= b.length) {
      left -= b.length;
    } else {
      rest.push(left > 0 ? b.subarray(left) : b);
      left = 0;
    }
  }
  return rest;
}

/** fsync of a directory, so that files created, renamed or removed in it survive a power loss. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `content` so that a crash leaves either the old or the new version:
 * `tmpPath` (in the same directory) is written and fdatasynced, renamed over `path`, and the
 * directory fsynced.
 */
export async function writeFileAtomically(
  path: string,
  content: string | Buffer,
  tmpPath = `${path}.tmp`,
): Promise<void> {
  const file = await open(tmpPath, 'w');
  try {
    await file.writeFile(content);
    await file.datasync();
  } finally {
    await file.close();
  }
  await rename(tmpPath, path);
  await syncDirectory(dirname(path));
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { crashTestBatch } from '../testing/crash-test-batch';
import { aTempDir, testLogConfig } from '../testing/storage.fixture';
import { PartitionLog } from './partition-log';
import { rewriteBaseOffset } from './record-batch';

const ACKS_BEFORE_KILL = 400;
const DEADLINE_MS = 30_000;

interface Ack {
  batch: number;
  baseOffset: number;
}

/** Starts the appender child and resolves with its acks once `count` arrived (it keeps going). */
function startAppender(dir: string): {
  child: ChildProcess;
  acks: Ack[];
  waitForAcks: (count: number) => Promise<void>;
} {
  const child = spawn(
    process.execPath,
    [
      '-r',
      require.resolve('@swc-node/register'),
      join(__dirname, '../testing/crash-appender.script.ts'),
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const acks: Ack[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [word, batch, offset] = line.split(' ');
    if (word === 'ack') {
      acks.push({ batch: Number(batch), baseOffset: Number(offset) });
      waiters.forEach((wake) => wake());
    }
  });
  const waitForAcks = (count: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${acks.length} acks in time; stderr: ${stderr}`)),
        DEADLINE_MS,
      );
      const check = (): void => {
        if (acks.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.once('exit', (code) => reject(new Error(`appender exited early (${code}): ${stderr}`)));
      waiters.push(check);
      check();
    });
  return { child, acks, waitForAcks };
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('a partition log with fsync "always" killed with SIGKILL mid-stream', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let child: ChildProcess | undefined;
  let log: PartitionLog | undefined;

  beforeEach(async () => {
    dir = await aTempDir('kafka-crash-');
  });

  afterEach(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      await killHard(child);
    }
    await log?.close();
    await dir.remove();
  });

  it('keeps every acknowledged batch at its acknowledged offset, byte for byte', async () => {
    const appender = startAppender(dir.path);
    child = appender.child;
    await appender.waitForAcks(ACKS_BEFORE_KILL);
    await killHard(appender.child);
    const acks = [...appender.acks];

    log = await PartitionLog.open({
      dir: dir.path,
      config: testLogConfig({ segmentBytes: 16 * 1024 }),
    });

    expect(acks.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    for (const ack of acks) {
      const expected = await crashTestBatch(ack.batch);
      rewriteBaseOffset(expected, 0, ack.baseOffset);
      const stored = await log.read(ack.baseOffset, 1, true);
      expect(stored.equals(expected)).toBe(true);
    }
    const endOffset = log.logEndOffset;
    expect(endOffset).toBeGreaterThan(Math.max(...acks.map((ack) => ack.baseOffset + 1)));
    await expect(log.append(await crashTestBatch(0))).resolves.toMatchObject({
      baseOffset: endOffset,
    });
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeRecord } from './offset-log';
import { OFFSET_LOG_FILE, OffsetStore } from './offset-store';
import { OffsetLogFormatError } from './offset-store.errors';

const REPO_ROOT = resolve(__dirname, '../../../..');
const CRASH_WRITER = join(__dirname, '../testing/commit-until-killed.script.ts');

describe('OffsetStore on disk', () => {
  let dir: string;
  const opened: OffsetStore[] = [];
  const children: ChildProcess[] = [];

  async function openStore(compactionThresholdBytes?: number): Promise<OffsetStore> {
    const store = await OffsetStore.open(dir, { fsync: 'always', compactionThresholdBytes });
    opened.push(store);
    return store;
  }

  const logSize = async () => (await stat(join(dir, OFFSET_LOG_FILE))).size;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'offset-store-'));
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps commits and group deletions across close and reopen', async () => {
    const store = await openStore();
    await store.commit('billing', [{ topic: 'orders', partition: 0, offset: 10, metadata: 'a' }]);
    await store.commit('billing', [{ topic: 'orders', partition: 0, offset: 12, metadata: null }]);
    await store.commit('audit', [{ topic: 'orders', partition: 2, offset: 5, metadata: 'x' }]);
    await store.commit('gone', [{ topic: 'orders', partition: 0, offset: 1, metadata: null }]);
    await store.deleteGroup('gone');
    await store.close();

    const reopened = await openStore();
    expect(reopened.groups().sort()).toEqual(['audit', 'billing']);
    expect(reopened.get('billing', 'orders', 0)).toEqual({ offset: 12, metadata: null });
    expect(reopened.list('audit')).toEqual([
      { topic: 'orders', partition: 2, offset: 5, metadata: 'x' },
    ]);
    expect(reopened.get('gone', 'orders', 0)).toBeUndefined();
  });

  it('compacts the log once it outgrows the threshold without losing the latest offsets', async () => {
    const threshold = 4096;
    const store = await openStore(threshold);
    await store.commit('deleted', [{ topic: 'orders', partition: 9, offset: 1, metadata: null }]);
    await store.deleteGroup('deleted');
    for (let offset = 0; offset < 500; offset += 1) {
      await store.commit('billing', [
        { topic: 'orders', partition: offset % 3, offset, metadata: `m${offset}` },
      ]);
    }
    expect(store.logBytes).toBeLessThan(threshold);
    expect(await logSize()).toBe(store.logBytes);
    await store.close();

    const reopened = await openStore(threshold);
    expect(reopened.list('billing')).toEqual([
      { topic: 'orders', partition: 0, offset: 498, metadata: 'm498' },
      { topic: 'orders', partition: 1, offset: 499, metadata: 'm499' },
      { topic: 'orders', partition: 2, offset: 497, metadata: 'm497' },
    ]);
    expect(reopened.groups()).toEqual(['billing']);
  });

  it('cuts off a torn tail on open and keeps appending after it', async () => {
    const store = await openStore();
    await store.commit('billing', [{ topic: 'orders', partition: 0, offset: 7, metadata: null }]);
    await store.close();
    const intact = await logSize();
    const next = encodeRecord({
      kind: 'commit',
      groupId: 'billing',
      entries: [{ topic: 'orders', partition: 0, offset: 8, metadata: null }],
    });
    await appendFile(join(dir, OFFSET_LOG_FILE), next.subarray(0, next.length - 3));

    const recovered = await openStore();
    expect(await logSize()).toBe(intact);
    expect(recovered.get('billing', 'orders', 0)).toEqual({ offset: 7, metadata: null });
    await recovered.commit('billing', [
      { topic: 'orders', partition: 0, offset: 9, metadata: null },
    ]);
    await recovered.close();

    expect((await openStore()).get('billing', 'orders', 0)).toEqual({ offset: 9, metadata: null });
  });

  it('refuses to open a file that is not an offset log, and leaves it alone', async () => {
    const foreign = Buffer.from('definitely not an offset log');
    await writeFile(join(dir, OFFSET_LOG_FILE), foreign);
    await expect(openStore()).rejects.toBeInstanceOf(OffsetLogFormatError);
    expect(await readFile(join(dir, OFFSET_LOG_FILE))).toEqual(foreign);
  });

  it('makes interval-synced commits visible at once and durable by close', async () => {
    const store = await OffsetStore.open(dir, { fsync: 'interval', fsyncIntervalMs: 10 });
    await store.commit('billing', [{ topic: 'orders', partition: 0, offset: 3, metadata: null }]);
    expect(store.get('billing', 'orders', 0)).toEqual({ offset: 3, metadata: null });
    await store.close();
    expect((await openStore()).get('billing', 'orders', 0)?.offset).toBe(3);
  });

  it('keeps every acknowledged commit when the writing process is killed with SIGKILL', async () => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', CRASH_WRITER, dir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const acked = await collectAcks(child, 2000, 30_000);
    child.kill('SIGKILL');
    await once(child, 'exit');

    const store = await openStore();
    for (const [partition, offset] of acked) {
      const committed = store.get('crash-test', 'orders', partition);
      expect(committed?.offset).toBeGreaterThanOrEqual(offset);
      // Each lane has at most one commit in flight beyond its last acknowledgement.
      expect(committed?.offset).toBeLessThanOrEqual(offset + 1);
      expect(committed?.metadata).toBe(`offset ${committed?.offset}`);
    }
  });
});

/**
 * Reads `ack <partition> <offset>` lines until `wanted` arrived; returns the highest
 * acknowledged offset per partition.
 */
async function collectAcks(
  child: ChildProcess,
  wanted: number,
  deadlineMs: number,
): Promise<Map<number, number>> {
  const latest = new Map<number, number>();
  let count = 0;
  let buffered = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`only ${count} acks within ${deadlineMs} ms; stderr: ${stderr}`)),
      deadlineMs,
    );
    child.once('exit', (code) => fail(new Error(`writer exited early (${code}): ${stderr}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (buffered + chunk.toString()).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [, partition, offset] = line.split(' ').map(Number);
        latest.set(partition, Math.max(latest.get(partition) ?? -1, offset));
        count += 1;
      }
      if (count >= wanted) {
        clearTimeout(timer);
        done();
      }
    });
  });
  return latest;
}

// The benchmark's writer, in a process of its own so that 1,000 sockets' worth of incoming
// updates in the main process never slows the writes. It writes pledge changes into the read
// model under the key prefix it is given and reports, over IPC, when each write returned.
import { performance } from 'node:perf_hooks';
import { testRedisUrl } from '@tracker/testing';
import Redis from 'ioredis';
import { ReadModelFixture } from '../test/read-model-fixture';

export type WriterCommand =
  | { kind: 'load'; perSecond: number; durationMs: number; writers: number; pledges: number }
  | { kind: 'one'; causeId: string };

export type WriterReport =
  | { kind: 'ready' }
  | { kind: 'written'; writes: [causeId: string, at: number][] }
  | { kind: 'loaded'; count: number; elapsedMs: number };

/** Milliseconds since the Unix epoch with sub-millisecond precision, comparable across processes. */
export const wallClock = () => performance.timeOrigin + performance.now();

const sleep = (ms: number) => new Promise((done) => setTimeout(done, Math.max(0, ms)));

function send(report: WriterReport): void {
  process.send?.(report);
}

async function load(
  readModel: ReadModelFixture,
  command: Extract<WriterCommand, { kind: 'load' }>,
) {
  const started = performance.now();
  const endAt = started + command.durationMs;
  const interval = (1000 * command.writers) / command.perSecond;
  let pending: [string, number][] = [];
  const flush = setInterval(() => {
    if (pending.length > 0) send({ kind: 'written', writes: pending });
    pending = [];
  }, 10);
  let count = 0;
  await Promise.all(
    Array.from({ length: command.writers }, async (_, writer) => {
      for (let n = 0; performance.now() < endAt; n += 1) {
        await sleep(started + n * interval - performance.now());
        const pledge = writer + command.writers * (n % (command.pledges / command.writers));
        const causeId = `w${writer}-${n}`;
        await readModel.pledge(`p-${pledge}`, { pledged: 1000 + n, accepted: n % 1000 }, causeId);
        pending.push([causeId, wallClock()]);
        count += 1;
      }
    }),
  );
  clearInterval(flush);
  send({ kind: 'written', writes: pending });
  send({ kind: 'loaded', count, elapsedMs: performance.now() - started });
}

async function main(): Promise<void> {
  const [prefix] = process.argv.slice(2);
  const url = testRedisUrl();
  const clients: Redis[] = [];
  const readModel = await ReadModelFixture.open({
    prefix,
    client: () => {
      const client = new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 2 });
      clients.push(client);
      return client;
    },
    cleanup: async () => undefined,
  });
  process.on('message', (command: WriterCommand) => {
    if (command.kind === 'load') void load(readModel, command);
    else
      void readModel
        .pledge('p-0', { pledged: 5000 + Math.floor(Math.random() * 1000) }, command.causeId)
        .then(() => send({ kind: 'written', writes: [[command.causeId, wallClock()]] }));
  });
  process.once('disconnect', () => {
    for (const client of clients) client.disconnect();
  });
  send({ kind: 'ready' });
}

void main();

import { ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { freePort } from '@tracker/testing';
import { io, Socket } from 'socket.io-client';
import { ClientToServerEvents, ServerToClientEvents } from '../src/live/live.events';
import { ReadModelFixture } from '../test/read-model-fixture';

/**
 * `npm run bench:live`: how long a change takes from the moment the read model has it (the
 * atomic write step returned) to its receipt on a `/live` socket, with 1,000 sockets connected
 * and 1,000 writes a second; and how long one change takes to reach all 1,000 sockets. The
 * gateway runs in a process of its own, as deployed; writer and sockets share this one, so both
 * ends of each measurement read the same clock.
 */

const SOCKETS = 1000;
const WRITES_PER_SECOND = 1000;
const LOAD_MS = 10_000;
const WARM_UP_MS = 2000;
const WRITERS = 4;
const PLEDGES = 48;
const FAN_OUTS = 20;
const TARGET_P99_MS = 100;
const TOKEN = 'bench-token';
const ROOT = resolve(__dirname, '..', '..', '..');

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, Math.max(0, ms)));

async function startGatewayProcess(prefix: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const env = { LOG_LEVEL: 'silent', AUTH_TOKENS: `${TOKEN}=ops` };
  const child = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      join(__dirname, 'gateway-process.ts'),
      prefix,
      String(port),
      JSON.stringify(env),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((ready, fail) => {
    lines.on('line', (line) => {
      if (line.startsWith('ready ')) ready(line.slice(6));
    });
    child.once('exit', (code) => fail(new Error(`gateway exited with ${code}`)));
  });
  return { child, url };
}

async function connectAll(url: string, onUpdate: (index: number, causeId: string) => void) {
  const sockets: LiveSocket[] = [];
  for (let start = 0; start < SOCKETS; start += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, SOCKETS - start) }, async (_, offset) => {
        const index = start + offset;
        const socket: LiveSocket = io(`${url}/live`, {
          auth: { token: TOKEN },
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
        });
        sockets.push(socket);
        socket.on('update', (update) => onUpdate(index, update.cause.id));
        const reply = await socket.emitWithAck('subscribe', {
          channels: ['overview', `pledge:p-${index % PLEDGES}`],
        });
        if (!reply.ok) throw new Error(`subscribe refused: ${reply.error.message}`);
      }),
    );
  }
  return sockets;
}

/** Writes at WRITES_PER_SECOND (split over WRITERS loops of their own pledges) until `endAt`. */
async function load(
  readModel: ReadModelFixture,
  endAt: number,
  written: (causeId: string) => void,
): Promise<number> {
  let count = 0;
  const interval = (1000 * WRITERS) / WRITES_PER_SECOND;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      const start = performance.now();
      for (let n = 0; performance.now() < endAt; n += 1) {
        await sleep(start + n * interval - performance.now());
        const pledge = writer + WRITERS * (n % (PLEDGES / WRITERS));
        const causeId = `w${writer}-${n}`;
        await readModel.pledge(`p-${pledge}`, { pledged: 1000 + n, accepted: n % 1000 }, causeId);
        written(causeId);
        count += 1;
      }
    }),
  );
  return count;
}

async function main(): Promise<void> {
  const readModel = await ReadModelFixture.create('bench-live', { streamMaxLength: 200_000 });
  const { child, url } = await startGatewayProcess(readModel.redis.prefix);
  const writtenAt = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  const fanOut = new Map<string, Set<number>>();
  const fanOutDone = new Map<string, (at: number) => void>();
  const sockets = await connectAll(url, (index, causeId) => {
    const now = performance.now();
    const at = writtenAt.get(causeId);
    if (measuring && at !== undefined) latencies.push(now - at);
    const reached = fanOut.get(causeId);
    if (reached && !reached.has(index)) {
      reached.add(index);
      if (reached.size === SOCKETS) fanOutDone.get(causeId)?.(now);
    }
  });
  console.log(`${SOCKETS} sockets connected to ${url}; warming up`);

  const started = performance.now();
  setTimeout(() => (measuring = true), WARM_UP_MS);
  const writes = await load(readModel, started + WARM_UP_MS + LOAD_MS, (causeId) =>
    writtenAt.set(causeId, performance.now()),
  );
  measuring = false;
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);

  await sleep(500);
  const fanOuts: number[] = [];
  for (let n = 0; n < FAN_OUTS; n += 1) {
    const causeId = `fan-${n}`;
    fanOut.set(causeId, new Set());
    const done = new Promise<number>((resolveAt) => fanOutDone.set(causeId, resolveAt));
    await readModel.pledge('p-0', { pledged: 5000 + n }, causeId);
    const writtenMoment = performance.now();
    const reachedAll = await Promise.race([done, sleep(5000).then(() => NaN)]);
    fanOuts.push(reachedAll - writtenMoment);
    await sleep(100);
  }
  fanOuts.sort((a, b) => a - b);

  const result = {
    sockets: SOCKETS,
    writesPerSecond: Math.round((writes * 1000) / elapsed),
    updatesReceivedPerSecond: Math.round((latencies.length * 1000) / LOAD_MS),
    latencyMs: {
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      p99: quantile(latencies, 0.99),
      max: latencies.at(-1) ?? NaN,
      samples: latencies.length,
    },
    fanOutToAllMs: { p50: quantile(fanOuts, 0.5), max: fanOuts.at(-1) ?? NaN, runs: FAN_OUTS },
  };
  const round = (value: number) => Math.round(value * 10) / 10;
  console.log(
    `writes: ${result.writesPerSecond}/s (target ${WRITES_PER_SECOND}/s), each a pledge change of 4 channels`,
  );
  console.log(
    `updates received: ${result.updatesReceivedPerSecond}/s over ${SOCKETS} sockets (overview + one pledge each)`,
  );
  console.log(
    `write → socket latency: p50 ${round(result.latencyMs.p50)} ms, p95 ${round(result.latencyMs.p95)} ms, p99 ${round(result.latencyMs.p99)} ms, max ${round(result.latencyMs.max)} ms (${result.latencyMs.samples} samples; target p99 ≤ ${TARGET_P99_MS} ms: ${result.latencyMs.p99 <= TARGET_P99_MS ? 'met' : 'MISSED'})`,
  );
  console.log(
    `fan-out of one update to all ${SOCKETS} sockets: p50 ${round(result.fanOutToAllMs.p50)} ms, max ${round(result.fanOutToAllMs.max)} ms (${FAN_OUTS} runs)`,
  );
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  await writeFile(join(ROOT, '.tmp', 'bench-live.json'), `${JSON.stringify(result, null, 2)}\n`);

  for (const socket of sockets) socket.disconnect();
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  await readModel.cleanup();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

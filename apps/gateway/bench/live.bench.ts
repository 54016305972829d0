import { ChildProcess, fork, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '@tracker/testing';
import { ReadModelFixture } from '../test/read-model-fixture';
import { connectRawSockets } from '@tracker/testing';
import { wallClock, WriterCommand, WriterReport } from './writer-process';

/**
 * `npm run bench:live`: how long a change takes from the moment the read model has it (the
 * atomic write step returned) to its receipt on a `/live` socket, with 1,000 sockets connected
 * and 1,000 writes a second; and how long one change takes to reach all 1,000 sockets. Three
 * processes, as deployed: the writer, the gateway, and the sockets (this one); both ends of a
 * measurement read the wall clock at sub-millisecond precision.
 */

const SOCKETS = 1000;
/** Writes a second; `BENCH_WRITES` to try another load. */
const WRITES_PER_SECOND = Number(process.env.BENCH_WRITES ?? 1000);
/** The gateway's LIVE_MAX_UPDATES_PER_SECOND; `BENCH_CHANNEL_RATE` to try another. */
const CHANNEL_RATE = process.env.BENCH_CHANNEL_RATE ?? '20';
const LOAD_MS = 10_000;
const WARM_UP_MS = 2000;
const WRITERS = 4;
const PLEDGES = 48;
const FAN_OUTS = 20;
const TARGET_P99_MS = 100;
const TOKEN = 'bench-token-00000001';
const ROOT = resolve(__dirname, '..', '..', '..');

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, Math.max(0, ms)));
const round = (value: number) => Math.round(value * 10) / 10;

async function startGateway(prefix: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const env = {
    LOG_LEVEL: 'silent',
    AUTH_TOKENS: `${TOKEN}=ops`,
    LIVE_MAX_UPDATES_PER_SECOND: CHANNEL_RATE,
    // Every socket of the benchmark uses the one token.
    LIVE_MAX_SOCKETS_PER_TOKEN: String(SOCKETS),
  };
  const script = join(__dirname, 'gateway-process.ts');
  // BENCH_PROFILE=1 leaves a CPU profile of the gateway in .tmp/profile.
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir', join(ROOT, '.tmp', 'profile')]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, '-r', '@swc-node/register', script, prefix, String(port), JSON.stringify(env)],
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

/** The writer process, and the wall-clock moment each cause id it wrote was in the read model. */
async function startWriter(prefix: string, writtenAt: Map<string, number>) {
  const child = fork(join(__dirname, 'writer-process.ts'), [prefix], {
    cwd: ROOT,
    execArgv: ['-r', '@swc-node/register'],
  });
  let loaded: ((report: Extract<WriterReport, { kind: 'loaded' }>) => void) | undefined;
  const ready = new Promise<void>((resolveReady) => {
    child.on('message', (report: WriterReport) => {
      if (report.kind === 'ready') resolveReady();
      if (report.kind === 'written') for (const [id, at] of report.writes) writtenAt.set(id, at);
      if (report.kind === 'loaded') loaded?.(report);
    });
  });
  await ready;
  return {
    child,
    load: (command: Extract<WriterCommand, { kind: 'load' }>) =>
      new Promise<Extract<WriterReport, { kind: 'loaded' }>>((done) => {
        loaded = done;
        child.send(command);
      }),
    one: (causeId: string) => child.send({ kind: 'one', causeId } satisfies WriterCommand),
  };
}

async function main(): Promise<void> {
  const readModel = await ReadModelFixture.create('bench-live', { streamMaxLength: 200_000 });
  const writtenAt = new Map<string, number>();
  const received: { causeId: string; at: number }[] = [];
  const fanOut = new Map<string, { reached: Set<number>; done: (at: number) => void }>();
  let measuring = false;

  const gateway = await startGateway(readModel.redis.prefix);
  const writer = await startWriter(readModel.redis.prefix, writtenAt);
  const channels = (index: number) => ['overview', `pledge:p-${index % PLEDGES}`];
  const sockets = await connectRawSockets(
    gateway.url,
    TOKEN,
    SOCKETS,
    channels,
    (index, _, causeId) => {
      const at = wallClock();
      if (measuring) received.push({ causeId, at });
      const waiting = fanOut.get(causeId);
      if (waiting && !waiting.reached.has(index)) {
        waiting.reached.add(index);
        if (waiting.reached.size === SOCKETS) waiting.done(at);
      }
    },
  );
  console.log(
    `${SOCKETS} sockets connected to ${gateway.url}; load average ${loadavg()[0].toFixed(1)}`,
  );

  const warmUp = setTimeout(() => (measuring = true), WARM_UP_MS);
  const loaded = await writer.load({
    kind: 'load',
    perSecond: WRITES_PER_SECOND,
    durationMs: WARM_UP_MS + LOAD_MS,
    writers: WRITERS,
    pledges: PLEDGES,
  });
  clearTimeout(warmUp);
  measuring = false;
  await sleep(500);
  // A receipt may come before the writer's report of its write: matched only now.
  const latencies = received
    .map(({ causeId, at }) => at - (writtenAt.get(causeId) ?? NaN))
    .filter((latency) => !Number.isNaN(latency))
    .sort((a, b) => a - b);

  const fanOuts: number[] = [];
  for (let n = 0; n < FAN_OUTS; n += 1) {
    const causeId = `fan-${n}`;
    const reachedAll = new Promise<number>((done) =>
      fanOut.set(causeId, { reached: new Set(), done }),
    );
    writer.one(causeId);
    const at = await Promise.race([reachedAll, sleep(5000).then(() => NaN)]);
    await sleep(50);
    fanOuts.push(at - (writtenAt.get(causeId) ?? NaN));
    await sleep(100);
  }
  fanOuts.sort((a, b) => a - b);

  const result = {
    sockets: SOCKETS,
    channelRate: Number(CHANNEL_RATE),
    loadAverage: loadavg()[0],
    writesPerSecond: Math.round((loaded.count * 1000) / loaded.elapsedMs),
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
  const { p50, p95, p99, max, samples } = result.latencyMs;
  console.log(
    `writes: ${result.writesPerSecond}/s (target ${WRITES_PER_SECOND}/s), each a pledge change of 4 channels`,
  );
  console.log(
    `updates received: ${result.updatesReceivedPerSecond}/s over ${SOCKETS} sockets (overview + one pledge each)`,
  );
  console.log(
    `write → socket latency: p50 ${round(p50)} ms, p95 ${round(p95)} ms, p99 ${round(p99)} ms, max ${round(max)} ms (${samples} samples; target p99 ≤ ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS ? 'met' : 'missed'})`,
  );
  console.log(
    `fan-out of one update to all ${SOCKETS} sockets: p50 ${round(result.fanOutToAllMs.p50)} ms, max ${round(result.fanOutToAllMs.max)} ms (${FAN_OUTS} runs)`,
  );
  console.log(`load average at the end: ${result.loadAverage.toFixed(1)}`);
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  await writeFile(join(ROOT, '.tmp', 'bench-live.json'), `${JSON.stringify(result, null, 2)}\n`);

  for (const socket of sockets) socket.close();
  writer.child.disconnect();
  gateway.child.kill('SIGTERM');
  await new Promise((done) => gateway.child.once('exit', done));
  await readModel.cleanup();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

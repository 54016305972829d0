/**
 * `npm run bench:system`: the whole stack as `npm start` runs it on embedded defaults (embedded
 * broker, embedded Postgres, a private redis-server, the five services), started by the launcher
 * itself in a data folder of its own, and measured from outside as a user's clients see it:
 *
 * - HTTP ingest: POST /v1/pledges through the gateway at concurrency 32, against GET
 *   /health/live on the gateway in the same run;
 * - raw kafkajs produce (acks all) and consume (eachBatch, no work) on the stack's broker;
 * - end to end: HTTP 2xx of a write → its update on a `/live` socket, at a fixed offered rate
 *   (default 1,000 writes/s, half pledges, half lots) with 1,000 sockets connected, each on
 *   `overview` and on the channels of the writes it waits for;
 * - peak RSS of every process of the stack;
 * - recovery after a SIGKILL of each service in turn: until a write through the gateway that
 *   needs it succeeds and its `/live` update arrives, and until it is ready again.
 *
 * Prints the figures and, with `BENCH_RESULT=<file>`, writes them there as JSON (`npm run bench`
 * puts them in one table).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { ServiceName } from '@tracker/config';
import { TOPICS } from '@tracker/contracts';
import { commandLine, descendantsOf, freePort, peakRssMiB, waitFor } from '@tracker/runtime';
import { connectRawSockets } from '@tracker/testing';
import { Kafka, logLevel } from 'kafkajs';
import { ensureCompiled } from '../start/compiled';
import { runningAsRoot, stagingDirFor } from '../start/postgres-layout';
import { SERVICE_NAMES } from '../start/settings';
import { HttpLoad, quantile } from './http-load';
import { measureRecovery, RecoveryStack } from './recovery';
import { SERVICE_PEAK_RSS_TARGET_MIB, SystemResult } from './results';

const ROOT = join(__dirname, '..', '..');
const RUN = randomBytes(4).toString('hex');
const TOKEN = `bench-token-${RUN}`;
/** The launcher's broker runs with SASL and ACLs: the bench reads and writes as admin. */
const ADMIN_SASL = { mechanism: 'scram-sha-512' as const, username: 'admin', password: TOKEN };
const CONCURRENCY = 32;
const INGEST_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const RAW_MESSAGES = 50_000;
const SOCKETS = 1000;
const E2E_RATE = Number(process.env.BENCH_E2E_RATE ?? 1000);
const E2E_WARM_UP_MS = 2000;
const E2E_LOAD_MS = 10_000;
/** Writes in flight at most: past it the offered rate is not met, and the result says so. */
const E2E_IN_FLIGHT = 256;
const TARGETS = {
  ingestPerSecond: 1200,
  e2eP99Ms: 100,
  servicePeakRssMiB: SERVICE_PEAK_RSS_TARGET_MIB,
};

const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, Math.max(0, ms)));

interface RunningStack {
  readonly launcher: ChildProcess;
  readonly ports: Readonly<Record<string, string>>;
  readonly gateway: string;
  readonly brokers: string[];
  readonly dataDir: string;
}

/**
 * `npm start` with TRACKER_DEMO=off in a fresh data folder, every port chosen here, once the
 * services' compiled build is up to date (the launcher would build it too, but not before it
 * starts the infrastructure).
 */
async function startStack(): Promise<RunningStack> {
  await ensureCompiled(ROOT, say);
  const dataDir = await mkdtemp(join(tmpdir(), 'tracker-bench-'));
  const names = [
    'GATEWAY',
    'PLEDGE',
    'PRODUCTION',
    'SHIPMENT',
    'PROJECTION',
    'WEBHOOK',
    'KAFKA',
  ] as const;
  const ports: Record<string, string> = {};
  for (const name of names) ports[`${name}_PORT`] = String(await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...ports,
    TRACKER_DATA_DIR: dataDir,
    TRACKER_DEMO: 'off',
    AUTH_TOKENS: `${TOKEN}=admin`,
    RATE_LIMIT_PER_MINUTE: '10000000',
    // Every socket of the benchmark uses the one token.
    LIVE_MAX_SOCKETS_PER_TOKEN: String(SOCKETS),
    LOG_LEVEL: 'warn',
  };
  // Embedded defaults: whatever the calling shell points at is not used.
  for (const name of ['KAFKA_BROKERS', 'DATABASE_URL', 'REDIS_URL', 'PORT']) delete env[name];
  const launcher = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join('scripts', 'start', 'start.ts')],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: launcher.stdout });
  await new Promise<void>((up, fail) => {
    lines.on('line', (line) => {
      if (line.startsWith('[start]') && /ready after|tracker is up/.test(line)) say(line);
      if (line.includes('The tracker is up')) up();
    });
    launcher.once('exit', (code) => fail(new Error(`npm start exited with ${code}`)));
  });
  const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
  for (const port of [ports.GATEWAY_PORT, ports.PROJECTION_PORT]) {
    await waitFor(
      `port ${port} ready`,
      async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok,
      { timeoutMs: 120_000, intervalMs: 200 },
    );
  }
  return { launcher, ports, gateway, brokers: [`127.0.0.1:${ports.KAFKA_PORT}`], dataDir };
}

async function stopStack(stack: RunningStack): Promise<void> {
  const ended = new Promise((done) => stack.launcher.once('exit', done));
  stack.launcher.kill('SIGINT');
  await ended;
  if (runningAsRoot()) await rm(stagingDirFor(stack.dataDir), { recursive: true, force: true });
  await rm(stack.dataDir, { recursive: true, force: true });
}

function pledge(id: string, quantity: number): string {
  return JSON.stringify({
    pledgeId: id,
    donor: 'DE',
    recipient: 'UA',
    itemCode: 'AMMO-155MM',
    quantity,
    purpose: 'aid',
    sourcing: 'new-production',
    confidence: 'official',
  });
}

function lot(lotId: string, itemCode: string): string {
  return JSON.stringify({
    lotId,
    manufacturer: 'rheinmetall',
    facility: 'Unterlüß',
    itemCode,
    quantity: 2400,
    completedAt: new Date().toISOString(),
    qaStatus: 'passed',
  });
}

async function ingest(http: HttpLoad, gateway: string): Promise<SystemResult['ingest']> {
  const post = (index: number, tag: string) =>
    http.send(`${gateway}/v1/pledges`, 'POST', pledge(`bench-${RUN}-${tag}-${index}`, 1 + index));
  const health = () => http.send(`${gateway}/health/live`, 'GET');
  await http.closedLoop(500, CONCURRENCY, (index) => post(index, 'warm'));
  await http.closedLoop(500, CONCURRENCY, health);
  const baselineSeconds = await http.closedLoop(INGEST_REQUESTS, CONCURRENCY, health);
  const writeSeconds = await http.closedLoop(INGEST_REQUESTS, CONCURRENCY, (index) =>
    post(index, 'ingest'),
  );
  return {
    requests: INGEST_REQUESTS,
    concurrency: CONCURRENCY,
    writesPerSecond: INGEST_REQUESTS / writeSeconds,
    baselinePerSecond: INGEST_REQUESTS / baselineSeconds,
  };
}

/** kafkajs alone on the stack's broker: messages of a pledge event's size, no work per message. */
async function rawKafka(brokers: string[]): Promise<SystemResult['rawKafka']> {
  const kafka = new Kafka({ brokers, sasl: ADMIN_SASL, logLevel: logLevel.NOTHING });
  const topic = `bench.raw.${RUN}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const value = Buffer.alloc(700, 'x');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let started = performance.now();
  for (let sent = 0; sent < RAW_MESSAGES; sent += 1000) {
    const messages = Array.from({ length: 1000 }, (_, index) => ({
      key: `k-${sent + index}`,
      value,
    }));
    await producer.send({ topic, acks: -1, messages });
  }
  const producePerSecond = RAW_MESSAGES / ((performance.now() - started) / 1000);
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `bench-raw-${RUN}` });
  let consumed = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  started = performance.now();
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      consumed += batch.messages.length;
    },
  });
  await waitFor('the raw consumer to read everything', () => consumed >= RAW_MESSAGES, {
    timeoutMs: 120_000,
    intervalMs: 5,
  });
  const consumePerSecond = RAW_MESSAGES / ((performance.now() - started) / 1000);
  await consumer.disconnect();
  return { messages: RAW_MESSAGES, bytes: value.length, producePerSecond, consumePerSecond };
}

/**
 * Write `k` is a pledge (channel `pledge:<id>`) when even, else a lot of an item of its own
 * (channel `item:<code>`): both write services and both kinds of aggregate carry the load, and
 * each write has a channel that changes only through it, so its first update is its receipt.
 */
function e2eWrite(
  run: string,
  k: number,
): { path: string; body: string; channel: string; key: string } {
  if (k % 2 === 0) {
    const id = `e2e-${RUN}-${run}-${k}`;
    return { path: '/v1/pledges', body: pledge(id, 100 + k), channel: `pledge:${id}`, key: id };
  }
  const itemCode = `E2E${RUN.toUpperCase()}-${run.toUpperCase()}-${k}`;
  const lotId = `E2E-${RUN}-${run}-${k}`;
  return { path: '/v1/lots', body: lot(lotId, itemCode), channel: `item:${itemCode}`, key: lotId };
}

/** When each write's event was first seen on Kafka, by write index: the two legs of the path. */
async function watchKafka(
  brokers: string[],
  indexOf: ReadonlyMap<string, number>,
  seenAt: Float64Array,
): Promise<() => Promise<void>> {
  const kafka = new Kafka({ brokers, sasl: ADMIN_SASL, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: `bench-e2e-${RUN}-${randomBytes(3).toString('hex')}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPICS.pledges, TOPICS.production], fromBeginning: false });
  let joined = () => {};
  const ready = new Promise<void>((resolve) => (joined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachMessage: async ({ message }) => {
      const k = indexOf.get(message.key?.toString() ?? '');
      if (k !== undefined && Number.isNaN(seenAt[k])) seenAt[k] = performance.now();
    },
  });
  await ready;
  return () => consumer.disconnect();
}

/** One end-to-end run at `rate` writes/s; `run` tells its ids from another run's. */
async function endToEnd(
  http: HttpLoad,
  gateway: string,
  brokers: string[],
  run: string,
  rate: number,
): Promise<SystemResult['endToEnd']> {
  const total = Math.round((rate * (E2E_WARM_UP_MS + E2E_LOAD_MS)) / 1000);
  const warmUp = Math.round((rate * E2E_WARM_UP_MS) / 1000);
  const writes = Array.from({ length: total }, (_, k) => e2eWrite(run, k));
  const channelOf = new Map(writes.map((write, k) => [write.channel, k]));
  const answeredAt = new Float64Array(total).fill(NaN);
  const receivedAt = new Float64Array(total).fill(NaN);
  const onKafkaAt = new Float64Array(total).fill(NaN);
  const stopWatching = await watchKafka(
    brokers,
    new Map(writes.map((write, k) => [write.key, k])),
    onKafkaAt,
  );
  const channels = (index: number) => [
    'overview',
    ...writes.filter((_, k) => k % SOCKETS === index).map((write) => write.channel),
  ];
  const sockets = await connectRawSockets(gateway, TOKEN, SOCKETS, channels, (_, channel) => {
    const k = channelOf.get(channel);
    if (k !== undefined && Number.isNaN(receivedAt[k])) receivedAt[k] = performance.now();
  });
  say(`${SOCKETS} sockets subscribed; offering ${rate} writes/s for ${E2E_LOAD_MS / 1000} s`);

  let inFlight = 0;
  const failed: Record<string, number> = {};
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let k = 0; k < total; k += 1) {
    await sleep(started + (k * 1000) / rate - performance.now());
    while (inFlight >= E2E_IN_FLIGHT) await sleep(1);
    inFlight += 1;
    const { path, body } = writes[k];
    pending.push(
      http
        .send(`${gateway}${path}`, 'POST', body)
        .then(
          (answer) => {
            if (answer.status < 300) answeredAt[k] = answer.at;
            else failed[answer.status] = (failed[answer.status] ?? 0) + 1;
          },
          () => {
            failed[0] = (failed[0] ?? 0) + 1;
          },
        )
        .finally(() => (inFlight -= 1)),
    );
  }
  await Promise.all(pending);
  const offeredSeconds = (performance.now() - started) / 1000;
  await waitFor(
    'every answered write on its socket',
    () => answeredAt.every((at, k) => Number.isNaN(at) || !Number.isNaN(receivedAt[k])),
    { timeoutMs: 30_000, intervalMs: 50 },
  ).catch(() => undefined);
  for (const socket of sockets) socket.close();
  await stopWatching();

  const latencies: number[] = [];
  const toKafka: number[] = [];
  const fromKafka: number[] = [];
  let missing = 0;
  for (let k = warmUp; k < total; k += 1) {
    if (Number.isNaN(answeredAt[k])) continue;
    if (Number.isNaN(receivedAt[k])) missing += 1;
    // The update can reach the socket before the HTTP answer reaches its client: 0, not less.
    else latencies.push(Math.max(0, receivedAt[k] - answeredAt[k]));
    if (!Number.isNaN(onKafkaAt[k])) {
      toKafka.push(Math.max(0, onKafkaAt[k] - answeredAt[k]));
      if (!Number.isNaN(receivedAt[k])) fromKafka.push(receivedAt[k] - onKafkaAt[k]);
    }
  }
  return {
    sockets: SOCKETS,
    offeredPerSecond: rate,
    achievedPerSecond: total / offeredSeconds,
    failed: Object.values(failed).reduce((sum, count) => sum + count, 0),
    failedByStatus: failed,
    missing,
    samples: latencies.length,
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    p99Ms: quantile(latencies, 0.99),
    legs: {
      toKafka: { p50Ms: quantile(toKafka, 0.5), p99Ms: quantile(toKafka, 0.99) },
      kafkaToSocket: { p50Ms: quantile(fromKafka, 0.5), p99Ms: quantile(fromKafka, 0.99) },
    },
  };
}

/** What a process of the stack is, from its command line. */
function roleOf(pid: number, launcher: number): string | undefined {
  if (pid === launcher) return 'launcher + embedded broker';
  const command = commandLine(pid);
  const app = /apps\/([a-z-]+)\/src\/main\.[jt]s/.exec(command)?.[1];
  if (app) return app;
  if (command.startsWith('redis-server') || command.includes('/redis-server'))
    return 'redis-server';
  if (/postgres(:|\s|$)/.test(command)) return 'postgres';
  return undefined;
}

/**
 * One figure per role of the stack, read for each of its processes and combined over a role's
 * processes; a process that ends meanwhile (undefined) is skipped.
 */
function perRole(
  launcher: number,
  read: (pid: number) => number | undefined,
  combine: (a: number, b: number) => number,
): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const pid of [launcher, ...descendantsOf(launcher)]) {
    const role = roleOf(pid, launcher);
    if (role === undefined) continue;
    const figure = read(pid);
    if (figure === undefined) continue;
    figures[role] = role in figures ? combine(figures[role], figure) : figure;
  }
  return figures;
}

const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used so far; undefined once it is gone. */
function cpuSecondsOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds (user + system) each role of the stack has used so far; Postgres' summed. */
function cpuSeconds(launcher: number): Record<string, number> {
  const used = perRole(launcher, cpuSecondsOf, (a, b) => a + b);
  const own = process.cpuUsage();
  used['bench clients (this process)'] = (own.user + own.system) / 1e6;
  return used;
}

/** Runs `phase`, and what share of the machine's CPU each role took while it ran. */
async function measured<T>(
  launcher: number,
  phase: () => Promise<T>,
): Promise<{ value: T; cpu: Record<string, number> }> {
  const before = cpuSeconds(launcher);
  const started = performance.now();
  const value = await phase();
  const seconds = (performance.now() - started) / 1000;
  const after = cpuSeconds(launcher);
  const cpu: Record<string, number> = {};
  for (const [role, total] of Object.entries(after))
    cpu[role] = (total - (before[role] ?? 0)) / seconds;
  return { value, cpu };
}

/** Peak resident set (VmHWM) of every role of the stack, in MiB; Postgres' largest process. */
function peakRss(launcher: number): Record<string, number> {
  return perRole(launcher, peakRssMiB, Math.max);
}

const PORT_VARIABLES: Record<ServiceName, string> = {
  gateway: 'GATEWAY_PORT',
  'pledge-service': 'PLEDGE_PORT',
  'production-service': 'PRODUCTION_PORT',
  'shipment-service': 'SHIPMENT_PORT',
  'projection-service': 'PROJECTION_PORT',
  'webhook-service': 'WEBHOOK_PORT',
};

/** The stack as the recovery measure acts on it: it kills services by their process id. */
function recoveryStack(stack: RunningStack): RecoveryStack {
  const launcher = stack.launcher.pid!;
  return {
    gateway: stack.gateway,
    token: TOKEN,
    readyUrl: (service) => `http://127.0.0.1:${stack.ports[PORT_VARIABLES[service]]}/health/ready`,
    kill: (service) => {
      const pid = descendantsOf(launcher).find((child) => roleOf(child, launcher) === service);
      if (pid === undefined) throw new Error(`no running process of ${service}`);
      process.kill(pid, 'SIGKILL');
    },
  };
}

const fixed = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';

function printEndToEnd(e: SystemResult['endToEnd']): void {
  say(
    `end to end at ${e.offeredPerSecond}/s offered (${fixed(e.achievedPerSecond)}/s achieved), ${e.sockets} sockets: p50 ${fixed(e.p50Ms, 1)} ms, p95 ${fixed(e.p95Ms, 1)} ms, p99 ${fixed(e.p99Ms, 1)} ms (${e.samples} samples, ${e.missing} missing, ${e.failed} failed ${JSON.stringify(e.failedByStatus)}; target p99 ≤ ${TARGETS.e2eP99Ms} ms)`,
  );
  const { toKafka, kafkaToSocket } = e.legs;
  say(
    `  legs: HTTP 2xx → on Kafka p50 ${fixed(toKafka.p50Ms, 1)} ms, p99 ${fixed(toKafka.p99Ms, 1)} ms; on Kafka → socket p50 ${fixed(kafkaToSocket.p50Ms, 1)} ms, p99 ${fixed(kafkaToSocket.p99Ms, 1)} ms`,
  );
}

function print(result: SystemResult): void {
  const { ingest: i, rawKafka: r } = result;
  say(
    `ingest: ${fixed(i.writesPerSecond)} writes/s through the gateway (health baseline ${fixed(i.baselinePerSecond)}/s, ratio ${fixed(i.writesPerSecond / i.baselinePerSecond, 2)}; target ≥ ${TARGETS.ingestPerSecond})`,
  );
  say(
    `raw kafkajs: produce ${fixed(r.producePerSecond)} msg/s (acks all), consume ${fixed(r.consumePerSecond)} msg/s (${r.bytes} B messages)`,
  );
  printEndToEnd(result.endToEnd);
  printEndToEnd(result.endToEndSustained);
  const roles = Object.keys(result.cpuCores.endToEnd);
  say(
    `${'process'.padEnd(28)} ${'CPU ingest'.padStart(10)} ${'CPU e2e'.padStart(10)} ${'peak RSS'.padStart(10)}`,
  );
  for (const role of roles) {
    const cores = (phase: Record<string, number>) => `${fixed((phase[role] ?? 0) * 100)} %`;
    const rss = result.peakRssMiB[role];
    say(
      `${role.padEnd(28)} ${cores(result.cpuCores.ingest).padStart(10)} ${cores(result.cpuCores.endToEnd).padStart(10)} ${(rss === undefined ? '' : `${fixed(rss)} MiB`).padStart(10)}`,
    );
  }
  const over = SERVICE_NAMES.filter(
    (service) => (result.peakRssMiB[service] ?? 0) > TARGETS.servicePeakRssMiB,
  );
  say(
    `services' peak RSS target ≤ ${TARGETS.servicePeakRssMiB} MiB each: ${over.length === 0 ? 'met' : `not met by ${over.join(', ')}`}`,
  );
}

async function main(): Promise<void> {
  const stack = await startStack();
  const http = new HttpLoad(TOKEN, E2E_IN_FLIGHT);
  try {
    say('stack up; measuring HTTP ingest');
    const launcher = stack.launcher.pid!;
    const ingested = await measured(launcher, () => ingest(http, stack.gateway));
    say('measuring raw kafkajs produce and consume');
    const rawResult = await rawKafka(stack.brokers);
    say('measuring HTTP 2xx → /live update');
    const run = (label: string, rate: number) =>
      endToEnd(http, stack.gateway, stack.brokers, label, rate);
    const e2e = await measured(launcher, () => run('a', E2E_RATE));
    // The same at a rate the stack sustains here: latency, where the offered rate measures queueing.
    const sustainedRate = Math.max(10, Math.round(ingested.value.writesPerSecond / 2 / 10) * 10);
    say(`measuring it again at ${sustainedRate} writes/s, half the ingest rate just measured`);
    const sustained = await run('b', sustainedRate);
    const peakRssMiB = peakRss(launcher);
    say('measuring recovery after a SIGKILL of each service');
    const recovery = await measureRecovery(
      recoveryStack(stack),
      Object.keys(PORT_VARIABLES) as ServiceName[],
      say,
    );
    const result: SystemResult = {
      ingest: ingested.value,
      rawKafka: rawResult,
      endToEnd: e2e.value,
      endToEndSustained: sustained,
      cpuCores: { ingest: ingested.cpu, endToEnd: e2e.cpu },
      peakRssMiB,
      recovery,
    };
    print(result);
    if (process.env.BENCH_RESULT)
      await writeFile(process.env.BENCH_RESULT, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    http.close();
    await stopStack(stack);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:system failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

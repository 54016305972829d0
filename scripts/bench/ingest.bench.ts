/**
 * `npm run bench:ingest`: HTTP writes per second through the gateway to pledge-service at
 * concurrency 32 on the embedded broker and the machine's Postgres, against a baseline in the
 * same run: a no-op POST through the same gateway → service hops (`POST
 * /v1/pledges/bench-noop`, which pledge-service serves with `BENCH_NOOP_WRITE=on`, set here: the
 * same rate limit, token, role and body validation, then no transaction); the gateway's
 * `/health/live` as well, for reference. And the outbox's publish latency: from the HTTP 2xx of
 * a write to its event arriving at a Kafka consumer, and the relay's own insert → Kafka
 * acknowledgement histogram over the measured writes; and both services' peak RSS. The services
 * run compiled, as `npm start` runs them (built first when dist/ is stale).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TOPICS } from '@tracker/contracts';
import { startBroker } from '@tracker/kafka-broker';
import { freePort, peakRssMiB, waitFor } from '@tracker/runtime';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { ensureCompiled, entryArguments } from '../start/compiled';
import { Answer, HttpLoad, quantile } from './http-load';
import { SERVICE_PEAK_RSS_TARGET_MIB } from './results';

const CONCURRENCY = 32;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const WARMUP = 500;
const TOKEN = 'bench-admin-token-0001';
/** Issue 17's targets: writes/s, writes against the no-op POST, relay p99 in seconds. */
const TARGET_WRITES_PER_SECOND = 1_200;
const TARGET_RATIO = 0.35;
const TARGET_PUBLISH_P99_SECONDS = 0.05;
const PUBLISH_LATENCY = 'tracker_outbox_publish_latency_seconds';
const root = join(__dirname, '..', '..');
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const load = new HttpLoad(TOKEN, CONCURRENCY);
const send = load.send.bind(load);
const run = (count: number, next: (index: number) => Promise<Answer>) =>
  load.closedLoop(count, CONCURRENCY, next);

/** `BENCH_PROFILE=<folder>` writes a V8 CPU profile of each service there when it exits. */
function profileArgs(): string[] {
  const folder = process.env.BENCH_PROFILE;
  return folder ? ['--cpu-prof', `--cpu-prof-dir=${folder}`] : [];
}

function startService(name: string, compiled: boolean, env: NodeJS.ProcessEnv): ChildProcess {
  const main = entryArguments(root, join('apps', name, 'src', 'main.ts'), compiled);
  return spawn(process.execPath, [...profileArgs(), ...main], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

function pledge(index: number, runId: string): string {
  return JSON.stringify({
    pledgeId: `bench-${runId}-${index}`,
    donor: 'DE',
    recipient: 'UA',
    itemCode: 'AMMO-155MM',
    quantity: 1000 + index,
    purpose: 'aid',
    sourcing: 'new-production',
    confidence: 'official',
  });
}

/** Cumulative bucket counts (`le` in seconds → count) of a histogram, from Prometheus text. */
function histogramBuckets(metrics: string, name: string): Map<number, number> {
  return new Map(
    metrics
      .split('\n')
      .filter((line) => line.startsWith(`${name}_bucket`))
      .map((line) => [Number(/le="([^"]+)"/.exec(line)![1]), Number(line.split(' ').pop())]),
  );
}

/**
 * Upper bound (seconds) of the bucket holding quantile q of what a histogram counted between
 * two scrapes: the warm-up's observations are taken out.
 */
function quantileBetween(
  before: Map<number, number>,
  after: Map<number, number>,
  q: number,
): number {
  const counts = [...after].map(([le, count]) => ({ le, count: count - (before.get(le) ?? 0) }));
  const total = counts.at(-1)?.count ?? 0;
  return counts.find((entry) => entry.count >= q * total)?.le ?? NaN;
}

const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');

async function main(): Promise<void> {
  const compiled = await ensureCompiled(root, (line) => process.stdout.write(`${line}\n`));
  const runId = randomBytes(4).toString('hex');
  const schema = `bench_ingest_${runId}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'tracker-bench-ingest-'));
  const broker = await startBroker({ port: 0, dataDir, fsync: 'interval' });
  const brokers = broker.brokers.join(',');
  const [pledgePort, gatewayPort] = [await freePort(), await freePort()];
  const common = {
    KAFKA_BROKERS: brokers,
    AUTH_TOKENS: `${TOKEN}=admin`,
    RATE_LIMIT_PER_MINUTE: '10000000',
    KAFKA_GROUP_PREFIX: `bench-${runId}`,
  };
  const services = {
    'pledge-service': startService('pledge-service', compiled, {
      ...common,
      PORT: String(pledgePort),
      DATABASE_SCHEMA: schema,
      BENCH_NOOP_WRITE: 'on',
    }),
    gateway: startService('gateway', compiled, {
      ...common,
      PORT: String(gatewayPort),
      PLEDGE_SERVICE_URL: `http://127.0.0.1:${pledgePort}`,
    }),
  };
  const children = Object.values(services);
  const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-ingest-${runId}`, maxWaitTimeInMs: 100 });
  try {
    // BENCH_DIRECT=1 sends the same requests to pledge-service itself: what the gateway costs.
    const direct = process.env.BENCH_DIRECT === '1';
    const gateway = `http://127.0.0.1:${direct ? pledgePort : gatewayPort}`;
    for (const port of [pledgePort, gatewayPort]) {
      await waitFor(
        `port ${port} ready`,
        async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok,
        {
          timeoutMs: 60_000,
          intervalMs: 200,
        },
      );
    }
    const answeredAt = new Map<string, number>();
    // An event may reach the consumer before its HTTP answer reaches this client.
    const consumedAt = new Map<string, number>();
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPICS.pledges], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString() ?? '';
        if (key.startsWith(`bench-${runId}-`)) consumedAt.set(key, performance.now());
      },
    });
    await run(WARMUP, (index) =>
      send(`${gateway}/v1/pledges`, 'POST', pledge(REQUESTS + index, `w${runId}`)),
    );
    const noop = (index: number) =>
      send(`${gateway}/v1/pledges/bench-noop`, 'POST', pledge(index, `n${runId}`));
    await run(WARMUP, noop);
    await run(WARMUP, () => send(`${gateway}/health/live`, 'GET'));

    const healthSeconds = await run(REQUESTS, () => send(`${gateway}/health/live`, 'GET'));
    const noopSeconds = await run(REQUESTS, noop);
    const scrape = async () =>
      histogramBuckets(
        await (await fetch(`http://127.0.0.1:${pledgePort}/metrics`)).text(),
        PUBLISH_LATENCY,
      );
    const publishedBefore = await scrape();
    const writeSeconds = await run(REQUESTS, async (index) => {
      const answer = await send(`${gateway}/v1/pledges`, 'POST', pledge(index, runId));
      answeredAt.set(`bench-${runId}-${index}`, answer.at);
      return answer;
    });
    await waitFor('every event on Kafka', () => consumedAt.size >= REQUESTS, {
      timeoutMs: 60_000,
      intervalMs: 100,
    }).catch((error: unknown) => {
      throw new Error(`${consumedAt.size} of ${REQUESTS} events consumed`, { cause: error });
    });
    const latencies = [...consumedAt].map(([key, at]) => Math.max(0, at - answeredAt.get(key)!));
    const publishedAfter = await scrape();
    const relay = (q: number) => quantileBetween(publishedBefore, publishedAfter, q);

    const writes = REQUESTS / writeSeconds;
    const baseline = REQUESTS / noopSeconds;
    const rows = [
      ['writes (POST /v1/pledges)', `${writes.toFixed(0)} /s`],
      ['baseline: no-op POST /v1/pledges/bench-noop', `${baseline.toFixed(0)} /s`],
      ['ratio writes / no-op POST', (writes / baseline).toFixed(2)],
      ['GET /health/live, same target (reference)', `${(REQUESTS / healthSeconds).toFixed(0)} /s`],
      ['HTTP 2xx → event consumed, p50', `${quantile(latencies, 0.5).toFixed(1)} ms`],
      ['HTTP 2xx → event consumed, p99', `${quantile(latencies, 0.99).toFixed(1)} ms`],
      ['relay: insert → Kafka ack, p50 (histogram)', `≤ ${relay(0.5) * 1000} ms`],
      ['relay: insert → Kafka ack, p99 (histogram)', `≤ ${relay(0.99) * 1000} ms`],
      ...Object.entries(services).map(([name, child]) => [
        `peak RSS, ${name} (${compiled ? 'compiled' : 'from source'})`,
        `${peakRssMiB(child.pid!)?.toFixed(0) ?? 'n/a'} MiB`,
      ]),
    ];
    const target = direct ? 'pledge-service directly' : 'the gateway';
    process.stdout.write(
      `\ningest benchmark: ${REQUESTS} requests, concurrency ${CONCURRENCY}, to ${target}\n`,
    );
    for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(50)} ${value}\n`);
    const verdicts = [
      `≥ 1,200 writes/s: ${met(writes >= TARGET_WRITES_PER_SECOND)}`,
      `≥ ${TARGET_RATIO} × the no-op POST: ${met(writes / baseline >= TARGET_RATIO)}`,
      `relay p99 ≤ 50 ms: ${met(relay(0.99) <= TARGET_PUBLISH_P99_SECONDS)}`,
      `peak RSS ≤ ${SERVICE_PEAK_RSS_TARGET_MIB} MiB a service`,
    ];
    process.stdout.write(`  targets: ${verdicts.join('; ')}\n`);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((done) => child.once('exit', done))));
    await broker.stop();
    await rm(dataDir, { recursive: true, force: true });
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
    load.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `bench:ingest failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

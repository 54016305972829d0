import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { KeySpace, TickLogEntry } from '@tracker/read-model';
import { testRedisUrl, waitFor } from '@tracker/testing';
import Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { asOfMinute } from '../src/clock/clock';
import { inputTopics, ProjectionTopics, projectionTopics } from '../src/consumer/projection-topics';
import { LogFollower } from '../src/time-travel/log-follower';
import { TimeTravel } from '../src/time-travel/time-travel';
import { DONORS, ITEMS } from '../test/scenario';
import {
  dropKeys,
  option,
  publishScenario,
  scenarioFor,
  startBenchBroker,
} from './scenario-broker';

/**
 * `npm run bench:time-travel [-- --events 1000000] [-- --queries 200] [-- --checkpoint-every 5000]`:
 * publishes a seeded scenario to an embedded broker (its own process) with a clock tick logged
 * every 50,000 events (the offsets then, as the live projection logs them), starts the
 * time-travel engine on it (in this process, as the time-travel process runs it), reports how
 * long it took to fold everything and the process's memory, then times random `asOf` and
 * `knownAt` reads of the overview, donors, items and pledges against the 1 s target at p95.
 */

const TARGET_P95_MS = 1000;
const TICK_EVERY = 50_000;
const NAMESPACE = 'rm';
const EPOCH = 'bench';

const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const wanted = option(argv, '--events', 1_000_000);
  const queries = option(argv, '--queries', 200);
  const checkpointEvery = option(argv, '--checkpoint-every', 5000);
  const broker = await startBenchBroker('time-travel');
  const { kafka } = broker;
  const keyPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(testRedisUrl(), { keyPrefix });
  const keys = new KeySpace(redis, NAMESPACE);
  let follower: LogFollower | undefined;
  try {
    const topics = projectionTopics(`bench-${randomBytes(3).toString('hex')}.`);
    const { events, pledgeIds } = describeScenario(wanted);
    const ticks: TickLogEntry[] = [];
    const firstRecordMs = Date.now();
    const total = await publishScenario(kafka, topics, wanted, async (published, latestMs) => {
      if (published % TICK_EVERY !== 0) return;
      const asOf = asOfMinute(latestMs);
      if (ticks.length > 0 && (ticks.at(-1) as TickLogEntry).asOf >= asOf) return;
      const offsets = Object.fromEntries(await logEnds(kafka, topics));
      ticks.push({ asOf, wallMs: Date.now(), offsets });
    });
    const lastRecordMs = Date.now();
    // The read model as a live projection that applied everything and logged those ticks.
    await redis.set(keys.epochKey, EPOCH);
    for (const tick of ticks)
      await redis.zadd(keys.tickLogKey(EPOCH), tick.wallMs, JSON.stringify(tick));
    await redis.hset(
      `${keys.epochPrefix(EPOCH)}off`,
      Object.fromEntries(await logEnds(kafka, topics)),
    );
    console.log(
      `${total} events on ${inputTopics(topics).length} topics, ${ticks.length} ticks logged; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );

    const travel = new TimeTravel({ checkpointEvery });
    follower = new LogFollower(kafka, redis, travel, pino({ level: 'silent' }), {
      groupPrefix: `bench-${randomBytes(3).toString('hex')}`,
      topics,
      namespace: NAMESPACE,
    });
    const started = performance.now();
    await follower.start();
    const reader = follower;
    await waitFor('time travel to fold the whole log', () => reader.status.ready, {
      timeoutMs: 3_600_000,
      intervalMs: 250,
    });
    const foldSeconds = (performance.now() - started) / 1000;
    global.gc?.();
    const foldedRss = process.memoryUsage().rss;
    console.log(
      `folded ${travel.size} records (checkpoint every ${checkpointEvery}) in ${foldSeconds.toFixed(1)} s; RSS ${mib(foldedRss)} MiB, heap ${mib(process.memoryUsage().heapUsed)} MiB`,
    );

    const channels = [
      'overview',
      ...DONORS.map((donor) => `donor:${donor}`),
      ...ITEMS.map((item) => `item:${item}`),
      ...pledgeIds.map((id) => `pledge:${id}`),
    ];
    const timings: Record<'asOf' | 'knownAt', number[]> = { asOf: [], knownAt: [] };
    for (let query = 0; query < queries; query += 1) {
      const kind = query % 2 === 0 ? 'asOf' : 'knownAt';
      const channel = channels[Math.floor(Math.random() * channels.length)];
      const [from, to] = kind === 'asOf' ? events : [firstRecordMs, lastRecordMs];
      const timeMs = from + Math.floor(Math.random() * (to - from));
      const begun = performance.now();
      await reader.sync();
      if (kind === 'asOf') travel.asOf(timeMs, channel);
      else travel.knownAt(timeMs).value(channel);
      timings[kind].push(performance.now() - begun);
      if ((query + 1) % 20 === 0)
        console.log(
          `${query + 1} queries, the last ${kind} in ${(performance.now() - begun).toFixed(0)} ms`,
        );
    }
    const all = [...timings.asOf, ...timings.knownAt].sort((a, b) => a - b);
    const line = (name: string, list: number[]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return `${name.padEnd(8)} ${String(sorted.length).padStart(5)}  p50 ${quantile(sorted, 0.5).toFixed(0).padStart(5)} ms  p95 ${quantile(sorted, 0.95).toFixed(0).padStart(5)} ms  max ${(sorted.at(-1) ?? Number.NaN).toFixed(0).padStart(5)} ms`;
    };
    console.log(line('asOf', timings.asOf));
    console.log(line('knownAt', timings.knownAt));
    console.log(line('all', all));
    const p95 = quantile(all, 0.95);
    const rss = process.memoryUsage().rss;
    console.log(
      `p95 ${p95.toFixed(0)} ms against the ${TARGET_P95_MS} ms target: ${p95 <= TARGET_P95_MS ? 'met' : 'NOT met'}; RSS after the queries ${mib(rss)} MiB`,
    );
    const file = process.env.BENCH_RESULT;
    if (file) {
      const summary = (list: number[]) => {
        const sorted = [...list].sort((a, b) => a - b);
        return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.at(-1) };
      };
      const result = {
        events: total,
        ticks: ticks.length,
        checkpointEvery,
        foldSeconds,
        rssMiB: mib(Math.max(foldedRss, rss)),
        queries,
        all: summary(all),
        asOf: summary(timings.asOf),
        knownAt: summary(timings.knownAt),
      };
      await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    }
  } finally {
    await follower?.stop();
    await dropKeys(redis, keyPrefix);
    redis.disconnect();
    await broker.stop();
  }
}

/** The scenario's event-time span and a sample of its pledges (the scenario is then let go). */
function describeScenario(wanted: number): { events: [number, number]; pledgeIds: string[] } {
  const { events } = scenarioFor(wanted);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const pledgeIds: string[] = [];
  for (const event of events) {
    const ms = Date.parse(event.time);
    first = Math.min(first, ms);
    last = Math.max(last, ms);
    if (event.type === 'tracker.pledge.announced.v1' && pledgeIds.length < 500)
      pledgeIds.push(event.data.pledgeId);
  }
  return { events: [first, last], pledgeIds };
}

async function logEnds(kafka: Kafka, topics: ProjectionTopics): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, number>();
    for (const topic of inputTopics(topics))
      for (const { partition, high } of await admin.fetchTopicOffsets(topic))
        ends.set(`${topic}:${partition}`, Number(high));
    return ends;
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

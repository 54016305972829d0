import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseMessage } from '@tracker/contracts';
import { DeadLetterPublisher, EventProducer } from '@tracker/kafka';
import { ReadModelWriter } from '@tracker/read-model';
import { testRedisUrl, waitFor } from '@tracker/testing';
import Redis from 'ioredis';
import { Kafka, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import {
  canonicalTopic,
  inputTopics,
  ProjectionTopics,
  projectionTopics,
} from '../src/consumer/projection-topics';
import { Projection } from '../src/projection';
import { profiled, ProfileSummary } from './cpu-profile';
import { dropKeys, option, PARTITIONS, publishScenario, startBenchBroker } from './scenario-broker';

/**
 * `npm run bench:projection [-- --events 200000] [-- --rounds 3] [-- --profile]`: projection
 * throughput (events folded into Redis per second, from start to caught up: what a rebuild does)
 * against a raw kafkajs consume of the same topics in the same run (eachBatch, no work), with the
 * same partitions and concurrency. A third consumer parses and validates every message as the
 * projection does and keeps nothing: its rate is the ceiling of any projection that checks its
 * input against the contracts. The broker runs as its own process; Redis is REDIS_URL (default
 * the local one), under a key prefix of the run's own. `--profile` adds where the projection's
 * CPU time goes.
 */

const CONCURRENCY = 8;
/** Rounds of the three consumes; the figures are the median round's (by projection rate). */
const DEFAULT_ROUNDS = 3;
/** The issue-17 scenario: at least 200,000 events. */
const DEFAULT_EVENTS = 200_000;
/** The targets: a rate, and shares of the same run's baselines that do the same necessary work. */
const TARGET_EVENTS_PER_SECOND = 40_000;
const TARGET_OF_VALIDATED = 0.4;
const TARGET_VALIDATED_OF_RAW = 0.6;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const wanted = option(argv, '--events', DEFAULT_EVENTS);
  const rounds = option(argv, '--rounds', DEFAULT_ROUNDS);
  const profiling = argv.includes('--profile');
  const broker = await startBenchBroker('projection');
  const { kafka } = broker;
  const keyPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(testRedisUrl(), {
    keyPrefix,
    enableAutoPipelining: true,
  });
  try {
    const topics = projectionTopics(`bench-${randomBytes(3).toString('hex')}.`);
    const total = await publishScenario(kafka, topics, wanted);
    console.log(
      `${total} messages on ${inputTopics(topics).length} topics × ${PARTITIONS} partitions; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
    console.log(
      'round  raw kafkajs msgs/s  validated msgs/s  projection events/s  of validated  validated/raw',
    );
    const figures: { raw: number; validated: number; projected: number }[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      const raw = await consumeAll(kafka, topics, total, () => undefined);
      const validated = await consumeAll(kafka, topics, total, (topic, message) => {
        parseMessage(canonicalTopic(topics, topic), message);
      });
      const projected = await project(kafka, redis, topics, `r${round}`);
      figures.push({ raw, validated, projected });
      console.log(
        `${String(round).padStart(5)}  ${rate(raw).padStart(18)}  ${rate(validated).padStart(16)}  ${rate(projected).padStart(19)}  ${(projected / validated).toFixed(2).padStart(12)}  ${(validated / raw).toFixed(2).padStart(13)}`,
      );
    }
    const top = [...figures].sort((a, b) => a.projected - b.projected)[Math.floor(rounds / 2)];
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(
      `\nmedian round: ${rate(top.projected)} events/s (target ≥ ${rate(TARGET_EVENTS_PER_SECOND)}: ${met(top.projected >= TARGET_EVENTS_PER_SECOND)}), ` +
        `${(top.projected / top.validated).toFixed(2)} × the validating consume (target ≥ ${TARGET_OF_VALIDATED}: ${met(top.projected / top.validated >= TARGET_OF_VALIDATED)}), ` +
        `which is ${(top.validated / top.raw).toFixed(2)} × raw (target ≥ ${TARGET_VALIDATED_OF_RAW}: ${met(top.validated / top.raw >= TARGET_VALIDATED_OF_RAW)})`,
    );
    const lua = await luaSeconds(redis);
    console.log(
      `Redis time in Lua scripts since it started, every client of it included: ${lua.toFixed(2)} s`,
    );
    const file = process.env.BENCH_RESULT;
    if (file) {
      const result = {
        events: total,
        rawConsumePerSecond: top.raw,
        validatedConsumePerSecond: top.validated,
        projectionPerSecond: top.projected,
        ratio: top.projected / top.validated,
        luaSeconds: lua,
      };
      await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    }
    if (profiling) {
      const summary = await profiled(async () => {
        await project(kafka, redis, topics, 'profile');
      });
      printProfile(summary);
    }
  } finally {
    await dropKeys(redis, keyPrefix);
    redis.disconnect();
    await broker.stop();
  }
}

/** Messages per second of a consumer that only hands each message to `look` (and keeps nothing). */
async function consumeAll(
  kafka: Kafka,
  topics: ProjectionTopics,
  total: number,
  look: (topic: string, message: KafkaMessage) => void,
): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-consume-${randomBytes(4).toString('hex')}` });
  let count = 0;
  const started = performance.now();
  await consumer.connect();
  await consumer.subscribe({ topics: inputTopics(topics), fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: CONCURRENCY,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) look(batch.topic, message);
      count += batch.messages.length;
    },
  });
  await waitFor('the consumer to read everything', () => count >= total, {
    timeoutMs: 300_000,
    intervalMs: 5,
  });
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  return total / seconds;
}

/** Events per second of a fresh projection (new read model) from start to caught up. */
async function project(
  kafka: Kafka,
  redis: Redis,
  topics: ProjectionTopics,
  namespace: string,
): Promise<number> {
  const producer = new EventProducer(kafka);
  const projection = new Projection(
    {
      kafka,
      redis,
      producer,
      deadLetters: new DeadLetterPublisher(producer),
      logger: pino({ level: 'silent' }),
    },
    {
      groupId: `bench-projection-${namespace}-${randomBytes(4).toString('hex')}`,
      topics,
      namespace,
      tickMs: 0,
      readyMaxLag: 0,
      partitionsConsumedConcurrently: CONCURRENCY,
    },
  );
  const ends = await logEnds(kafka, topics);
  const writer = new ReadModelWriter(redis, { namespace });
  const events = [...ends.values()].reduce((sum, end) => sum + Number(end), 0);
  const started = performance.now();
  await projection.start();
  await waitFor(
    'the projection to catch up',
    async () => {
      const stored = await writer.offsets(projection.epoch);
      return [...ends].every(([field, end]) => stored.get(field) === end);
    },
    { timeoutMs: 600_000, intervalMs: 5 },
  );
  const seconds = (performance.now() - started) / 1000;
  const metrics = await projection.metrics.text();
  const count = (name: string) =>
    [...metrics.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?)$`, 'gm'))].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  console.log(
    `       (${namespace}: ${count('projection_batches_total')} batches, ${count('projection_step_conflicts_total')} conflicts, ${count('projection_batch_apply_seconds_sum').toFixed(1)} s in batches)`,
  );
  await projection.stop();
  await producer.onApplicationShutdown();
  return events / seconds;
}

async function logEnds(kafka: Kafka, topics: ProjectionTopics): Promise<Map<string, string>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, string>();
  for (const topic of inputTopics(topics)) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic))
      if (high !== '0') ends.set(`${topic}:${partition}`, high);
  }
  await admin.disconnect();
  return ends;
}

async function luaSeconds(redis: Redis): Promise<number> {
  const stats = await redis.info('commandstats');
  let micros = 0;
  for (const match of stats.matchAll(/cmdstat_(?:evalsha|eval):calls=\d+,usec=(\d+)/g))
    micros += Number(match[1]);
  return micros / 1e6;
}

const rate = (perSecond: number) => Math.round(perSecond).toLocaleString('en-GB');

function printProfile(summary: ProfileSummary): void {
  console.log('\nprojection CPU (self time, share of busy samples):');
  for (const { name, percent } of summary.categories)
    console.log(`  ${percent.toFixed(1).padStart(5)} %  ${name}`);
  console.log('hottest functions:');
  for (const { name, location, percent } of summary.hottest)
    console.log(`  ${percent.toFixed(1).padStart(5)} %  ${name}  ${location}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

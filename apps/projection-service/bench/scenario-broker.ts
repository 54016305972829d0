import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from '@tracker/contracts';
import { freePort, waitFor } from '@tracker/testing';
import type Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { inputTopics, ProjectionTopics } from '../src/consumer/projection-topics';
import { generateScenario, Scenario } from '../test/scenario';

/** Partitions of each input topic in the benchmarks. */
export const PARTITIONS = 4;

/** The embedded broker of a benchmark, in its own process, and a kafkajs client of it. */
export interface BenchBroker {
  readonly kafka: Kafka;
  /** Stops the broker and removes its log. */
  stop(): Promise<void>;
}

/** Starts the embedded broker on a free port with its log in a temporary folder, once it listens. */
export async function startBenchBroker(label: string): Promise<BenchBroker> {
  const dataDir = await mkdtemp(join(tmpdir(), `${label}-bench-`));
  const port = await freePort();
  const broker = startBroker(port, dataDir);
  const stop = async () => {
    if (broker.exitCode === null && broker.signalCode === null) {
      broker.kill('SIGTERM');
      await once(broker, 'exit');
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor('the broker to listen', () => listening(port), { timeoutMs: 30_000 });
  } catch (error) {
    await stop();
    throw error;
  }
  const kafka = new Kafka({
    clientId: 'bench',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
  });
  return { kafka, stop };
}

/** Removes a benchmark's Redis keys (those under `keyPrefix`, the client's own prefix). */
export async function dropKeys(redis: Redis, keyPrefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys.map((key) => key.slice(keyPrefix.length)));
    cursor = next;
  } while (cursor !== '0');
}

/** The embedded broker as its own process, on `port`, keeping its log in `dataDir`. */
function startBroker(port: number, dataDir: string): ChildProcess {
  const cli = join(__dirname, '..', '..', '..', 'libs', 'kafka-broker', 'src', 'cli.ts');
  return spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      cli,
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--fsync',
      'never',
      '--rebalance-delay-ms',
      '0',
      '--partitions',
      String(PARTITIONS),
      '--log-level',
      'error',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

/** Whether something accepts connections on `port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The benchmarks' seeded scenario of about `wanted` events (8.8 per pledge on average). */
export const scenarioFor = (wanted: number): Scenario =>
  generateScenario(2024, { pledges: Math.ceil(wanted / 8.8) });

/**
 * Publishes the seeded scenario (about `wanted` events) to the input topics in batches of 5,000,
 * calling `afterBatch` with the events published so far after each; returns how many.
 */
export async function publishScenario(
  kafka: Kafka,
  topics: ProjectionTopics,
  wanted: number,
  afterBatch?: (published: number, latestTimeMs: number) => Promise<void>,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: inputTopics(topics).map((topic) => ({ topic, numPartitions: PARTITIONS })),
  });
  await admin.disconnect();
  const { stream } = scenarioFor(wanted);
  const byRole = {
    pledge: topics.pledges,
    production: topics.production,
    shipment: topics.shipments,
    stockpile: topics.stockpiles,
  };
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let latestTimeMs = 0;
  for (let at = 0; at < stream.length; at += 5000) {
    const byTopic = new Map<string, ReturnType<typeof serialize>[]>();
    for (const event of stream.slice(at, at + 5000)) {
      const topic = byRole[event.type.split('.')[1] as keyof typeof byRole];
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), serialize(event)]);
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    for (const event of stream.slice(at, at + 5000))
      latestTimeMs = Math.max(latestTimeMs, Date.parse(event.time));
    await afterBatch?.(Math.min(stream.length, at + 5000), latestTimeMs);
  }
  await producer.disconnect();
  return stream.length;
}

/** A numeric command-line option (`--name N`), or `fallback` when absent or not a number. */
export function option(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  return at < 0 ? fallback : Number(argv[at + 1]) || fallback;
}

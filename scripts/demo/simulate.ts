/**
 * `npm run simulate -- --rate N --speed X`: plays the demo scenario against the running tracker,
 * each party with its own token: through the gateway's HTTP routes, and producers' milestones on
 * their own inbound Kafka topics. Started by `npm start` unless TRACKER_DEMO=off. See README.md
 * beside this file.
 */
import { authTokensSchema, firstTokenByRole, loadConfig } from '@tracker/config';
import { TOPICS } from '@tracker/contracts';
import { Kafka, logLevel, SASLOptions } from 'kafkajs';
import { parseArgs } from 'node:util';
import pino, { Logger } from 'pino';
import {
  DeadLetterWatcher,
  describeStats,
  Publisher,
  PublisherStats,
  WriteFailed,
} from './publisher';
import {
  demoParties,
  generateScenario,
  producerRole,
  PROGRAMME_DECLARATIONS,
  Scenario,
  Step,
} from './scenario';

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
environment: TRACKER_GATEWAY_URL (default http://127.0.0.1:3000); AUTH_TOKENS with a token for each
  party of the story (the first token of each role is used; TRACKER_ADMIN_TOKEN stands for admin,
  who only reads dead letters); KAFKA_BROKERS and the other Kafka settings of the services`;

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

/**
 * Each party's token by role string (`donor:DE`, `producer:rheinmetall`, `admin`…): the first
 * token of each role in `AUTH_TOKENS`; `TRACKER_ADMIN_TOKEN`, when set, is admin's. Throws
 * {@link ArgsError} when `AUTH_TOKENS` is malformed.
 */
export function partyTokens(env: NodeJS.ProcessEnv): Map<string, string> {
  const tokens = new Map<string, string>();
  if (env.AUTH_TOKENS) {
    const parsed = authTokensSchema.safeParse(env.AUTH_TOKENS);
    if (!parsed.success) {
      throw new ArgsError(`AUTH_TOKENS: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    for (const [role, token] of firstTokenByRole(parsed.data)) tokens.set(role, token);
  }
  if (env.TRACKER_ADMIN_TOKEN) tokens.set('admin', env.TRACKER_ADMIN_TOKEN);
  return tokens;
}

/** The admin token: TRACKER_ADMIN_TOKEN, else the first admin entry of AUTH_TOKENS. */
export function adminToken(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return partyTokens(env).get('admin');
  } catch {
    return undefined;
  }
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
      logger.info(
        { ...publisher.stats, simulated: step.at.slice(0, 10) },
        `progress at ${step.at.slice(0, 10)}: ${describeStats(publisher.stats)}`,
      );
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

/** The Kafka settings the simulator uses: the services' own, from the same variables. */
export interface DemoKafkaSettings {
  readonly brokers: string[];
  readonly ssl: boolean;
  /** `KAFKA_SASL_MECHANISM`; each party then signs in as its role with its own token. */
  readonly saslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  /** `KAFKA_TOPIC_PREFIX`, empty unless set. */
  readonly topicPrefix: string;
  /** `KAFKA_GROUP_PREFIX` (default `tracker`). */
  readonly groupPrefix: string;
}

/**
 * The Kafka settings from the environment, checked by the services' loader. The services' own
 * `KAFKA_SASL_USERNAME`/`PASSWORD` are not used: every party signs in as itself.
 */
export function kafkaSettings(env: NodeJS.ProcessEnv): DemoKafkaSettings {
  const sasl = env.KAFKA_SASL_MECHANISM
    ? { KAFKA_SASL_USERNAME: 'demo', KAFKA_SASL_PASSWORD: 'demo' }
    : {};
  const { kafka } = loadConfig('gateway', { ...env, ...sasl, PORT: undefined });
  return {
    brokers: kafka.brokers,
    ssl: kafka.ssl,
    saslMechanism: kafka.sasl?.mechanism,
    topicPrefix: kafka.topicPrefix,
    groupPrefix: kafka.groupPrefix,
  };
}

/** The SASL options of a party: user name its role string, password its token; none without SASL. */
export function saslFor(
  settings: Pick<DemoKafkaSettings, 'saslMechanism'>,
  role: string,
  token: string | undefined,
): SASLOptions | undefined {
  return settings.saslMechanism === undefined
    ? undefined
    : { mechanism: settings.saslMechanism, username: role, password: token ?? '' };
}

/** A kafkajs client signing in as `role` with `token` when SASL is on. */
export function kafkaClient(
  settings: DemoKafkaSettings,
  clientId: string,
  role: string,
  token: string | undefined,
): Kafka {
  const sasl = saslFor(settings, role, token);
  return new Kafka({
    clientId,
    brokers: settings.brokers,
    ssl: settings.ssl,
    sasl,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5000 },
    logLevel: logLevel.NOTHING,
  });
}

export interface DemoOptions {
  readonly scenario: Scenario;
  readonly speed: number;
  readonly rate: number;
  readonly gatewayUrl: string;
  /** Each party's token by role string ({@link partyTokens}). */
  readonly tokens: ReadonlyMap<string, string>;
  /** Without, producer milestones go over HTTP and Kafka refusals are not watched. */
  readonly kafka?: DemoKafkaSettings;
  readonly schemaBaseUri?: string;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** See {@link PublisherOptions.confirmTimeoutMs}. */
  readonly confirmTimeoutMs?: number;
  /** Most writes in flight at once; from the rate unless given. */
  readonly concurrency?: number;
}

export interface Demo {
  readonly publisher: Publisher;
  /** Plays the story; resolves with what it did once played (or stopped) and dead letters are read. */
  readonly done: Promise<DemoResult>;
  /** Disconnects from Kafka. */
  close(): Promise<void>;
}

export interface DemoResult {
  readonly played: number;
  readonly failed: number;
  readonly stats: PublisherStats;
  /** Roles of the story with no token: their steps were counted as refused. */
  readonly missing: string[];
  /** Whether Kafka refusals were counted (the dead-letter topic was read). */
  readonly watchedDeadLetters: boolean;
}

/**
 * Starts the story: every step sent as its party, refusals counted on both doors. Roles with no
 * token are named at once and their steps counted as refused; nothing is ever sent as admin.
 */
export function runDemo(options: DemoOptions): Demo {
  const { scenario, tokens, kafka, logger } = options;
  const since = Date.now() - 1000;
  const missing = demoParties(scenario).filter((role) => !tokens.has(role));
  if (missing.length > 0) {
    const steps = scenario.steps.filter((step) => missing.includes(step.actor)).length;
    logger.warn(
      `no token in AUTH_TOKENS for ${missing.join(', ')}: their ${steps} step${steps === 1 ? ' is' : 's are'} counted as refused (never sent as admin)`,
    );
  }
  const publisher = new Publisher({
    gatewayUrl: options.gatewayUrl,
    tokens,
    rate: options.rate,
    logger,
    kafkaFor:
      kafka && ((org, token) => kafkaClient(kafka, `demo-${org}`, producerRole(org), token)),
    topicPrefix: kafka?.topicPrefix,
    schemaBaseUri: options.schemaBaseUri,
    confirmTimeoutMs: options.confirmTimeoutMs,
  });
  options.signal.addEventListener('abort', () => publisher.stop());
  let watcher: DeadLetterWatcher | undefined;

  const done = (async (): Promise<DemoResult> => {
    watcher = await watchDeadLetters(options, publisher, since);
    await publisher.start();
    await declareProgrammes(options);
    const result = await play({
      scenario,
      speed: options.speed,
      publisher,
      logger,
      signal: options.signal,
      concurrency: options.concurrency ?? Math.max(1, Math.min(32, Math.ceil(options.rate / 5))),
    });
    if (watcher !== undefined && !(await watcher.settle())) {
      logger.warn(
        'the dead-letter topic was not read to its end: Kafka refusals may be undercounted',
      );
    }
    logger.info(
      { ...publisher.stats, played: result.played, failed: result.failed },
      `${options.signal.aborted ? 'stopped' : 'scenario complete'}: ${describeStats(publisher.stats)}` +
        (watcher === undefined ? ' (Kafka refusals not watched)' : '') +
        (missing.length > 0 ? `; no token for ${missing.join(', ')}` : ''),
    );
    return {
      ...result,
      stats: publisher.stats,
      missing,
      watchedDeadLetters: watcher !== undefined,
    };
  })();
  return {
    publisher,
    done,
    async close() {
      await done.catch(() => undefined);
      await watcher?.stop();
      await publisher.close();
    },
  };
}

/**
 * Declares the story's programmes as admin (`PROGRAMME_DECLARATIONS`), so that the programme
 * channels have their targets. Idempotent: a restarted simulator declares the same content
 * again, which changes nothing. Without an admin token the programmes stay undeclared (their
 * pledges still count towards them).
 */
async function declareProgrammes(options: DemoOptions): Promise<void> {
  const { tokens, logger } = options;
  const token = tokens.get('admin');
  if (token === undefined) {
    logger.info('no admin token: the story’s programmes are not declared');
    return;
  }
  for (const declaration of PROGRAMME_DECLARATIONS) {
    try {
      const response = await fetch(new URL('/v1/programmes', options.gatewayUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(declaration),
      });
      if (!response.ok) {
        logger.warn(
          `programme ${declaration.programmeId} not declared: ${response.status} ${await response.text()}`,
        );
      }
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        `programme ${declaration.programmeId} not declared`,
      );
    }
  }
}

/** Starts reading dead letters as admin, or says why Kafka refusals go uncounted. */
async function watchDeadLetters(
  options: DemoOptions,
  publisher: Publisher,
  since: number,
): Promise<DeadLetterWatcher | undefined> {
  const { kafka, logger, tokens } = options;
  if (kafka === undefined) return undefined;
  const token = tokens.get('admin');
  if (kafka.saslMechanism !== undefined && token === undefined) {
    logger.warn(
      'no admin token: Kafka dead letters cannot be read, Kafka refusals are not counted',
    );
    return undefined;
  }
  try {
    return await DeadLetterWatcher.start({
      kafka: kafkaClient(kafka, 'demo-dead-letters', 'admin', token),
      topic: `${kafka.topicPrefix}${TOPICS.deadLetter}`,
      groupPrefix: kafka.groupPrefix,
      since,
      logger,
      onDeadLetter: (eventId, sourceTopic, reason) =>
        publisher.deadLetter(eventId, sourceTopic, reason),
    });
  } catch (error) {
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'cannot read the dead-letter topic: Kafka refusals are not counted',
    );
    return undefined;
  }
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
  const scenario = generateScenario({ seed: args.seed });
  let tokens: Map<string, string>;
  let kafka: DemoKafkaSettings;
  try {
    tokens = partyTokens(process.env);
    kafka = kafkaSettings(process.env);
  } catch (error) {
    process.stderr.write(`simulate: invalid configuration: ${String((error as Error).message)}\n`);
    return 2;
  }
  const parties = demoParties(scenario);
  if (!parties.some((role) => tokens.has(role))) {
    process.stderr.write(
      `simulate: no party of the story has a token: give AUTH_TOKENS one for each of ${parties.join(', ')}\n`,
    );
    return 2;
  }
  const publicUrl = process.env.PUBLIC_URL;
  const gatewayUrl = process.env.TRACKER_GATEWAY_URL || 'http://127.0.0.1:3000';
  const stop = new AbortController();
  let signals = 0;
  const onSignal = (name: string) => {
    signals++;
    if (signals > 1) process.exit(130);
    logger.info(`${name}: finishing in-flight writes`);
    stop.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const days = Math.round((Date.parse(scenario.end) - Date.parse(scenario.start)) / 86_400_000);
  logger.info(
    `scenario seed ${args.seed}: ${scenario.steps.length} writes over ${days} simulated days ` +
      `(${scenario.start.slice(0, 10)} → ${scenario.end.slice(0, 10)}) by ${parties.length} parties, ` +
      `about ${formatDuration((days * 86_400) / args.speed)} at --speed ${args.speed}, at most ${args.rate} writes/s, to ${gatewayUrl}`,
  );
  const demo = runDemo({
    scenario,
    speed: args.speed,
    rate: args.rate,
    gatewayUrl,
    tokens,
    kafka,
    schemaBaseUri: publicUrl ? `${publicUrl.replace(/\/+$/, '')}/schemas/` : undefined,
    logger,
    signal: stop.signal,
  });
  await demo.done;
  if (!stop.signal.aborted && !args.once) {
    // Under `npm start` an exit would be taken for a crash and replayed: stay until stopped.
    logger.info('idle until stopped (--once exits instead)');
    await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve()));
  }
  await demo.close();
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

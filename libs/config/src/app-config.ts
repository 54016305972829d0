import { isIP } from 'node:net';
import { z } from 'zod';
import { authTokensSchema } from './auth-tokens';

/**
 * The applications of DESIGN.md §2 and their default ports (§7), plus webhook-service (signed
 * webhooks, issue 19) on 3005.
 */
export const SERVICE_PORTS = {
  gateway: 3000,
  'pledge-service': 3001,
  'production-service': 3002,
  'shipment-service': 3003,
  'projection-service': 3004,
  'webhook-service': 3005,
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;

/**
 * The port of projection-service's time-travel process (its second entry point) when `PORT` is
 * not set; the gateway's `TIME_TRAVEL_URL` defaults to it.
 */
export const TIME_TRAVEL_PORT = 3006;

const BROKER_PATTERN = /^[A-Za-z0-9.-]+:\d{1,5}$/;

const brokersSchema = z
  .string()
  .transform((text) => text.split(',').map((broker) => broker.trim()))
  .refine((brokers) => brokers.every((broker) => BROKER_PATTERN.test(broker)), {
    message: 'must be a comma-separated list of host:port',
  });

const urlWithProtocol = (protocols: string[], example: string) =>
  z.string().refine(
    (text) => {
      try {
        return protocols.includes(new URL(text).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL like ${example}` },
  );

const httpUrl = urlWithProtocol(['http:', 'https:'], 'http://127.0.0.1:3001');

const positiveInt = (max: number) =>
  z.coerce
    .number({ message: `must be an integer between 1 and ${max}` })
    .int({ message: `must be an integer between 1 and ${max}` })
    .min(1, { message: `must be an integer between 1 and ${max}` })
    .max(max, { message: `must be an integer between 1 and ${max}` });

const nonNegativeInt = (max: number) =>
  z.coerce
    .number({ message: `must be an integer between 0 and ${max}` })
    .int({ message: `must be an integer between 0 and ${max}` })
    .min(0, { message: `must be an integer between 0 and ${max}` })
    .max(max, { message: `must be an integer between 0 and ${max}` });

/** Kafka's group.min.session.timeout.ms and group.max.session.timeout.ms defaults. */
export const MIN_SESSION_TIMEOUT_MS = 6000;
export const MAX_SESSION_TIMEOUT_MS = 1_800_000;
/**
 * `KAFKA_SESSION_TIMEOUT_MS` unless set: a member killed without leaving holds its partitions
 * this long, so a restarted service consumes again within about this time (BENCHMARKS.md).
 */
export const DEFAULT_SESSION_TIMEOUT_MS = MIN_SESSION_TIMEOUT_MS;
const sessionTimeoutRule = `must be an integer between ${MIN_SESSION_TIMEOUT_MS} and ${MAX_SESSION_TIMEOUT_MS} (milliseconds, the session timeouts a Kafka broker accepts by default)`;
const sessionTimeoutMs = z.coerce
  .number({ message: sessionTimeoutRule })
  .int({ message: sessionTimeoutRule })
  .min(MIN_SESSION_TIMEOUT_MS, { message: sessionTimeoutRule })
  .max(MAX_SESSION_TIMEOUT_MS, { message: sessionTimeoutRule });

const namePart = (what: string) =>
  z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, {
    message: `must be ${what} of 1-100 characters A-Z a-z 0-9 . _ : -`,
  });

/** Longest `MAX_CLOCK_SKEW` accepted: one day. */
export const MAX_CLOCK_SKEW_LIMIT_MS = 86_400_000;
const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const durationRule =
  'must be a duration: whole milliseconds (300000) or a whole number with ms, s, m or h (300s, 5m), at most 24h';

/**
 * A duration in milliseconds from `300000`, `300000ms`, `300s`, `5m` or `1h`: a whole number
 * and an optional unit, between 0 and {@link MAX_CLOCK_SKEW_LIMIT_MS}.
 */
export const durationMs = z.string().transform((text, context) => {
  const match = /^(\d{1,9})(ms|s|m|h)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * DURATION_UNITS_MS[(match[2] ?? 'ms') as 'ms'] : NaN;
  if (!(ms >= 0 && ms <= MAX_CLOCK_SKEW_LIMIT_MS)) {
    context.addIssue({ code: 'custom', message: durationRule });
    return z.NEVER;
  }
  return ms;
});

const onOff = z.enum(['on', 'off'], { message: 'must be "on" or "off"' });

const port = z.coerce
  .number({ message: 'must be an integer between 0 and 65535' })
  .int({ message: 'must be an integer between 0 and 65535' })
  .min(0, { message: 'must be an integer between 0 and 65535' })
  .max(65535, { message: 'must be an integer between 0 and 65535' });

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const hostSchema = z.string().refine((text) => isIP(text) !== 0 || HOST_NAME.test(text), {
  message: 'must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name',
});

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/** `TRUSTED_PROXIES`: `none`, or addresses, CIDR ranges and loopback/linklocal/uniquelocal. */
const trustedProxiesSchema = z
  .string()
  .transform((text) => text.split(',').map((entry) => entry.trim()))
  .refine((entries) => entries.join() === 'none' || entries.every(isProxyEntry), {
    message:
      'must be "none" or a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal, uniquelocal',
  })
  .transform((entries) => (entries.join() === 'none' ? [] : entries));

/** The environment variables every service understands (DESIGN.md §7), with their defaults. */
export const environmentSchema = z.object({
  PORT: port.optional(),
  HOST: hostSchema.optional(),
  TRUSTED_PROXIES: trustedProxiesSchema.default(['loopback']),
  KAFKA_BROKERS: brokersSchema.default(['127.0.0.1:9092']),
  KAFKA_SASL_MECHANISM: z
    .enum(['plain', 'scram-sha-256', 'scram-sha-512'], {
      message: 'must be one of plain, scram-sha-256, scram-sha-512',
    })
    .optional(),
  KAFKA_SASL_USERNAME: z.string().min(1, { message: 'must not be empty' }).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1, { message: 'must not be empty' }).optional(),
  KAFKA_GROUP_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, { message: 'must be 1-100 characters of A-Z a-z 0-9 . _ -' })
    .default('tracker'),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, {
      message: 'must be a topic name prefix of 1-100 characters A-Z a-z 0-9 . _ -',
    })
    .optional(),
  KAFKA_SSL: z.enum(['true', 'false'], { message: 'must be "true" or "false"' }).default('false'),
  KAFKA_SESSION_TIMEOUT_MS: sessionTimeoutMs.default(DEFAULT_SESSION_TIMEOUT_MS),
  REDIS_URL: urlWithProtocol(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').default(
    'redis://127.0.0.1:6379',
  ),
  REDIS_KEY_PREFIX: namePart('a key prefix').optional(),
  READ_MODEL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'must be 1-64 characters A-Z a-z 0-9 . _ -' })
    .default('rm'),
  READ_MODEL_STREAM_MAX_LENGTH: positiveInt(100_000_000).default(100_000),
  READ_MODEL_DEDUPE_WINDOW: positiveInt(100_000_000).default(500_000),
  PROJECTION_TICK_MS: nonNegativeInt(86_400_000).default(60_000),
  PROJECTION_CLOCK: z
    .enum(['system', 'events'], { message: 'must be "system" or "events"' })
    .default('system'),
  PROJECTION_READY_MAX_LAG: nonNegativeInt(1_000_000_000).default(1000),
  PROJECTION_SESSION_TIMEOUT_MS: sessionTimeoutMs.optional(),
  DATABASE_URL: urlWithProtocol(
    ['postgres:', 'postgresql:'],
    'postgres://user@127.0.0.1:5432/db',
  ).default('postgres://postgres@127.0.0.1:5432/test'),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, {
      message: 'must be a lower-case Postgres identifier of at most 63 characters',
    })
    .optional(),
  PUBLIC_URL: httpUrl.optional(),
  PLEDGE_SERVICE_URL: httpUrl.default('http://127.0.0.1:3001'),
  PRODUCTION_SERVICE_URL: httpUrl.default('http://127.0.0.1:3002'),
  SHIPMENT_SERVICE_URL: httpUrl.default('http://127.0.0.1:3003'),
  WEBHOOK_SERVICE_URL: httpUrl.default('http://127.0.0.1:3005'),
  TIME_TRAVEL_URL: httpUrl.default(`http://127.0.0.1:${TIME_TRAVEL_PORT}`),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z
    .enum(['true', 'false'], { message: 'must be "true" or "false"' })
    .default('false'),
  WEBHOOK_TIMEOUT: durationMs
    .refine((ms) => ms >= 100 && ms <= 120_000, {
      message: 'must be a duration from 100ms to 120s (10s, 5000)',
    })
    .default(10_000),
  WEBHOOK_RETRY_FOR: durationMs
    .refine((ms) => ms >= 1000, { message: 'must be a duration from 1s to 24h (24h, 90s)' })
    .default(86_400_000),
  WEBHOOK_BACKOFF_INITIAL: durationMs
    .refine((ms) => ms >= 1, { message: 'must be a duration from 1ms to 24h (5s, 200ms)' })
    .default(5_000),
  WEBHOOK_BACKOFF_MAX: durationMs
    .refine((ms) => ms >= 1, { message: 'must be a duration from 1ms to 24h (1h, 2s)' })
    .default(3_600_000),
  WEBHOOK_CONCURRENCY: positiveInt(1_000).default(16),
  MAX_CLOCK_SKEW: durationMs.default(300_000),
  RATE_LIMIT_PER_MINUTE: positiveInt(10_000_000).default(60_000),
  AUTH_FAILURES_PER_MINUTE: positiveInt(1_000_000).default(30),
  PUBLIC_DELAY_DAYS: nonNegativeInt(3650).default(30),
  PUBLIC_REQUESTS_PER_MINUTE: positiveInt(1_000_000).default(120),
  LIVE_REPLAY_CAP: positiveInt(1_000_000).default(10_000),
  LIVE_RESUME_CONCURRENCY: positiveInt(1_000).default(1),
  LIVE_MAX_CHANNELS_PER_SOCKET: positiveInt(100_000).default(500),
  LIVE_MAX_SOCKETS_PER_TOKEN: positiveInt(1_000_000).default(50),
  LIVE_MAX_UPDATES_PER_SECOND: positiveInt(1_000).default(20),
  LIVE_CLIENT_BUFFER: positiveInt(100_000).default(500),
  DASHBOARD_DIR: z.string().min(1, { message: 'must be a folder path' }).optional(),
  AUTH_TOKENS: authTokensSchema.optional(),
  TRACKER_DEMO: onOff.default('on'),
  BENCH_NOOP_WRITE: onOff.default('off'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface KafkaConfig {
  brokers: string[];
  /** Prepended to every topic name the service reads or writes ('' in production). */
  topicPrefix: string;
  clientId: string;
  /** Consumer groups are named `<groupPrefix>.<service>.<purpose>`; tests isolate with it. */
  groupPrefix: string;
  /**
   * Group session timeout of every consumer: how long the partitions of a member that died
   * without leaving (SIGKILL, crash) wait before the broker hands them to its successor.
   */
  sessionTimeoutMs: number;
  ssl: boolean;
  sasl?: {
    mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    username: string;
    password: string;
  };
}

/** Where the read model lives in Redis and how much history it keeps. */
export interface ReadModelConfig {
  namespace: string;
  /** Approximate length of the change stream (XADD MAXLEN ~). */
  streamMaxLength: number;
  /** Recent event ids kept for dedupe. */
  dedupeWindow: number;
}

export interface ProjectionConfig {
  /** `<groupPrefix>.projection-service`: one group for every projection instance. */
  groupId: string;
  /** Clock tick period (forecasts, time-based alerts); 0 turns the clock off. */
  tickMs: number;
  /**
   * What the clock reads: the system's time, or the latest time the applied events say something
   * happened (a replayed story, such as the demo's, judged at its own pace).
   */
  clock: 'system' | 'events';
  /** Consumer lag above which the projection reports not ready. */
  readyMaxLag: number;
  /**
   * Kafka group session timeout of the projection's member: `PROJECTION_SESSION_TIMEOUT_MS`,
   * else `KAFKA_SESSION_TIMEOUT_MS`.
   */
  sessionTimeoutMs: number;
}

/** Where the gateway forwards each write service's routes, and reads at a time (`asOf`, `knownAt`). */
export interface UpstreamConfig {
  'pledge-service': string;
  'production-service': string;
  'shipment-service': string;
  'webhook-service': string;
  /** projection-service's time-travel process (apps/projection-service README, "Time travel"). */
  'time-travel': string;
}

/** webhook-service's deliveries (apps/webhook-service/README.md). */
export interface WebhookConfig {
  /**
   * Endpoints on loopback, link-local, private and other non-public addresses (and plain http)
   * are allowed: for one machine's run, never where subscribers are untrusted (SSRF).
   */
  allowPrivateNetworks: boolean;
  /** Longest one delivery attempt may take (connect, send, answer), in ms. */
  timeoutMs: number;
  /** How long a delivery is retried after its first attempt before it is parked, in ms. */
  retryForMs: number;
  /** First retry delay's ceiling (full jitter), doubled per attempt, in ms. */
  backoffInitialMs: number;
  /** Largest retry delay ceiling, in ms. */
  backoffMaxMs: number;
  /** Subscriptions delivered to at once by one process. */
  concurrency: number;
}

/** The gateway's live stream (Socket.IO `/live`, DESIGN.md §5). */
export interface LiveConfig {
  /** Most missed updates a resume replays; a longer gap gets a fresh snapshot with `reset: true`. */
  replayCap: number;
  /** Most updates per second one channel sends; faster changes merge (latest value wins). */
  maxUpdatesPerSecond: number;
  /** Updates queued for one slow client before its queue merges to the latest value per channel. */
  clientBuffer: number;
  /**
   * Resumes reading Redis at once per gateway process; the rest wait their turn. Redis runs one
   * script at a time, so more at once finish no sooner and only queue ahead of other reads.
   */
  resumeConcurrency: number;
  /** Most channels one socket may hold (the dashboard follows up to 200 pledges, items, donors). */
  maxChannelsPerSocket: number;
  /** Most sockets open at once with one token, per gateway process. */
  maxSocketsPerToken: number;
}

/** The gateway's public view (`/public/v1`): no token, delayed, rate-limited per address. */
export interface PublicViewConfig {
  /** Days a public fact waits after it was recorded before the public view shows it. */
  delayDays: number;
  /** Requests per minute one client address may make to the public view (429 past it). */
  requestsPerMinute: number;
}

/** The typed configuration object injected into every service. */
export interface AppConfig {
  service: ServiceName;
  port: number;
  /**
   * The interface to listen on: `HOST`, else all interfaces for the gateway (undefined) and
   * 127.0.0.1 for the other services, which only the gateway and local tools call.
   */
  host: string | undefined;
  /**
   * Proxies whose `X-Forwarded-For` is believed (Express `trust proxy`): the client address a
   * request is counted under is the nearest one not in this list. Empty: the peer's address.
   */
  trustedProxies: string[];
  logLevel: Environment['LOG_LEVEL'];
  kafka: KafkaConfig;
  redisUrl: string;
  /** ioredis `keyPrefix` of the shared client ('' in production; tests isolate with it). */
  redisKeyPrefix: string;
  readModel: ReadModelConfig;
  projection: ProjectionConfig;
  databaseUrl: string;
  /** Postgres schema holding this service's tables (default: the service name, `_` for `-`). */
  databaseSchema: string;
  /** The gateway's public base URL: links, and the base of every event's `dataschema`. */
  publicUrl: string;
  upstreams: UpstreamConfig;
  /**
   * How far in the future an event's `time`, or a payload field saying when something happened,
   * may lie before it is refused (422 on HTTP, a dead letter on the inbound topic), in ms.
   */
  maxClockSkewMs: number;
  /** Requests per minute one token may make before it is answered 429. */
  rateLimitPerMinute: number;
  /**
   * Failed authentications (no or unknown token) per minute one client address may make; past it
   * every request from the address needing a token is answered 429, a valid token or not.
   */
  authFailuresPerMinute: number;
  publicView: PublicViewConfig;
  live: LiveConfig;
  webhooks: WebhookConfig;
  /** Where the gateway serves the built dashboard from; unset: the build output in dist/. */
  dashboardDir?: string;
  authTokens: Environment['AUTH_TOKENS'];
  demo: boolean;
  /**
   * `BENCH_NOOP_WRITE=on`: pledge-service also serves `POST /v1/pledges/bench-noop`, the edge of a
   * write (rate limit, token, role, body validation) without the write; `npm run bench:ingest`
   * sets it for its baseline. Off by default: no deployment serves it.
   */
  benchNoopWrite: boolean;
}

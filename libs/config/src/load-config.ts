import { z } from 'zod';
import {
  AppConfig,
  environmentSchema,
  KafkaConfig,
  SERVICE_PORTS,
  ServiceName,
} from './app-config';

/** A configuration a process must refuse to start with; `message` is one line naming each variable. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; rule: string }[]) {
    super(problems.map((problem) => `${problem.variable}: ${problem.rule}`).join('; '));
    this.name = 'ConfigError';
  }
}

function kafkaConfig(env: z.infer<typeof environmentSchema>, service: ServiceName): KafkaConfig {
  const mechanism = env.KAFKA_SASL_MECHANISM;
  const config: KafkaConfig = {
    brokers: env.KAFKA_BROKERS,
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    clientId: service,
    groupPrefix: env.KAFKA_GROUP_PREFIX,
    sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
    ssl: env.KAFKA_SSL === 'true',
  };
  if (mechanism) {
    const missing = (['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const).filter(
      (name) => !env[name],
    );
    if (missing.length > 0) {
      throw new ConfigError(
        missing.map((variable) => ({
          variable,
          rule: 'is required when KAFKA_SASL_MECHANISM is set',
        })),
      );
    }
    config.sasl = {
      mechanism,
      username: env.KAFKA_SASL_USERNAME!,
      password: env.KAFKA_SASL_PASSWORD!,
    };
  }
  return config;
}

/**
 * Parses the environment once at boot. Throws {@link ConfigError} naming every bad variable and
 * the rule it breaks; the caller prints it and exits.
 */
export function loadConfig(
  service: ServiceName,
  env: NodeJS.ProcessEnv = process.env,
  defaultPort: number = SERVICE_PORTS[service],
): AppConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0]),
        rule: issue.message,
      })),
    );
  }
  const values = parsed.data;
  return {
    service,
    port: values.PORT ?? defaultPort,
    host: values.HOST ?? (service === 'gateway' ? undefined : '127.0.0.1'),
    trustedProxies: values.TRUSTED_PROXIES,
    logLevel: values.LOG_LEVEL,
    kafka: kafkaConfig(values, service),
    redisUrl: values.REDIS_URL,
    redisKeyPrefix: values.REDIS_KEY_PREFIX ?? '',
    readModel: {
      namespace: values.READ_MODEL_NAMESPACE,
      streamMaxLength: values.READ_MODEL_STREAM_MAX_LENGTH,
      dedupeWindow: values.READ_MODEL_DEDUPE_WINDOW,
    },
    projection: {
      groupId: `${values.KAFKA_GROUP_PREFIX}.projection-service`,
      tickMs: values.PROJECTION_TICK_MS,
      clock: values.PROJECTION_CLOCK,
      readyMaxLag: values.PROJECTION_READY_MAX_LAG,
      sessionTimeoutMs: values.PROJECTION_SESSION_TIMEOUT_MS ?? values.KAFKA_SESSION_TIMEOUT_MS,
    },
    databaseUrl: values.DATABASE_URL,
    databaseSchema: values.DATABASE_SCHEMA ?? service.replace(/-/g, '_'),
    publicUrl: (values.PUBLIC_URL ?? `http://localhost:${SERVICE_PORTS.gateway}`).replace(
      /\/+$/,
      '',
    ),
    upstreams: {
      'pledge-service': values.PLEDGE_SERVICE_URL,
      'production-service': values.PRODUCTION_SERVICE_URL,
      'shipment-service': values.SHIPMENT_SERVICE_URL,
      'webhook-service': values.WEBHOOK_SERVICE_URL,
      'time-travel': values.TIME_TRAVEL_URL,
    },
    maxClockSkewMs: values.MAX_CLOCK_SKEW,
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: values.AUTH_FAILURES_PER_MINUTE,
    publicView: {
      delayDays: values.PUBLIC_DELAY_DAYS,
      requestsPerMinute: values.PUBLIC_REQUESTS_PER_MINUTE,
    },
    live: {
      replayCap: values.LIVE_REPLAY_CAP,
      maxUpdatesPerSecond: values.LIVE_MAX_UPDATES_PER_SECOND,
      clientBuffer: values.LIVE_CLIENT_BUFFER,
      resumeConcurrency: values.LIVE_RESUME_CONCURRENCY,
      maxChannelsPerSocket: values.LIVE_MAX_CHANNELS_PER_SOCKET,
      maxSocketsPerToken: values.LIVE_MAX_SOCKETS_PER_TOKEN,
    },
    webhooks: {
      allowPrivateNetworks: values.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
      timeoutMs: values.WEBHOOK_TIMEOUT,
      retryForMs: values.WEBHOOK_RETRY_FOR,
      backoffInitialMs: values.WEBHOOK_BACKOFF_INITIAL,
      backoffMaxMs: values.WEBHOOK_BACKOFF_MAX,
      concurrency: values.WEBHOOK_CONCURRENCY,
    },
    dashboardDir: values.DASHBOARD_DIR,
    authTokens: values.AUTH_TOKENS,
    demo: values.TRACKER_DEMO === 'on',
    benchNoopWrite: values.BENCH_NOOP_WRITE === 'on',
  };
}

import { ConfigError, loadConfig } from './load-config';

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig('pledge-service', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe(loadConfig.name, () => {
  it('applies the defaults of DESIGN.md §7 on an empty environment', () => {
    const config = loadConfig('pledge-service', {});
    expect(config).toMatchObject({
      service: 'pledge-service',
      port: 3001,
      kafka: { brokers: ['127.0.0.1:9092'], clientId: 'pledge-service', ssl: false },
      redisUrl: 'redis://127.0.0.1:6379',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      demo: true,
      benchNoopWrite: false,
      logLevel: 'info',
      live: { replayCap: 10_000, maxUpdatesPerSecond: 20, clientBuffer: 500 },
    });
    expect(config.authTokens).toBeUndefined();
  });

  it.each([
    ['gateway', 3000],
    ['pledge-service', 3001],
    ['production-service', 3002],
    ['shipment-service', 3003],
    ['projection-service', 3004],
  ] as const)('gives %s its default port %d', (service, port) => {
    expect(loadConfig(service, {}).port).toBe(port);
  });

  it('reads every variable it knows', () => {
    const config = loadConfig('gateway', {
      PORT: '0',
      KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9093',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'tracker',
      KAFKA_SASL_PASSWORD: 'secret',
      KAFKA_SSL: 'true',
      KAFKA_GROUP_PREFIX: 'ops-centre-2',
      KAFKA_SESSION_TIMEOUT_MS: '9000',
      DATABASE_SCHEMA: 'tracker_pledges',
      PUBLIC_URL: 'https://tracker.mod.example/',
      PLEDGE_SERVICE_URL: 'http://pledges:3001',
      PRODUCTION_SERVICE_URL: 'http://production:3002',
      SHIPMENT_SERVICE_URL: 'http://shipments:3003',
      RATE_LIMIT_PER_MINUTE: '120',
      KAFKA_TOPIC_PREFIX: 'tenant-a.',
      REDIS_URL: 'rediss://cache:6380/2',
      REDIS_KEY_PREFIX: 't:1:',
      READ_MODEL_NAMESPACE: 'rm-blue',
      READ_MODEL_STREAM_MAX_LENGTH: '5000',
      READ_MODEL_DEDUPE_WINDOW: '10000',
      PROJECTION_TICK_MS: '0',
      PROJECTION_CLOCK: 'events',
      PROJECTION_READY_MAX_LAG: '50',
      PROJECTION_SESSION_TIMEOUT_MS: '6000',
      DATABASE_URL: 'postgresql://app:pw@db:5432/tracker',
      AUTH_TOKENS:
        's3cret-admin-token-01=admin,de-ops-token-000001=donor:DE,rhm-token-000000001=producer:rheinmetall,watch-token-0000001=ops',
      TRACKER_DEMO: 'off',
      BENCH_NOOP_WRITE: 'on',
      LOG_LEVEL: 'debug',
      LIVE_REPLAY_CAP: '250',
      LIVE_MAX_UPDATES_PER_SECOND: '5',
      LIVE_CLIENT_BUFFER: '64',
    });
    expect(config.port).toBe(0);
    expect(config.kafka).toEqual({
      brokers: ['kafka-1:9092', 'kafka-2:9093'],
      clientId: 'gateway',
      groupPrefix: 'ops-centre-2',
      sessionTimeoutMs: 9000,
      topicPrefix: 'tenant-a.',
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'tracker', password: 'secret' },
    });
    expect(config.redisUrl).toBe('rediss://cache:6380/2');
    expect(config.databaseSchema).toBe('tracker_pledges');
    expect(config.publicUrl).toBe('https://tracker.mod.example');
    expect(config.upstreams).toEqual({
      'pledge-service': 'http://pledges:3001',
      'production-service': 'http://production:3002',
      'shipment-service': 'http://shipments:3003',
      'webhook-service': 'http://127.0.0.1:3005',
      'time-travel': 'http://127.0.0.1:3006',
    });
    expect(config.rateLimitPerMinute).toBe(120);
    expect(config.redisKeyPrefix).toBe('t:1:');
    expect(config.readModel).toEqual({
      namespace: 'rm-blue',
      streamMaxLength: 5000,
      dedupeWindow: 10_000,
    });
    expect(config.projection).toEqual({
      groupId: 'ops-centre-2.projection-service',
      tickMs: 0,
      clock: 'events',
      readyMaxLag: 50,
      sessionTimeoutMs: 6000,
    });
    expect(config.databaseUrl).toBe('postgresql://app:pw@db:5432/tracker');
    expect(config.demo).toBe(false);
    expect(config.benchNoopWrite).toBe(true);
    expect(config.logLevel).toBe('debug');
    expect(config.live).toEqual({
      replayCap: 250,
      maxUpdatesPerSecond: 5,
      clientBuffer: 64,
      resumeConcurrency: 1,
      maxChannelsPerSocket: 500,
      maxSocketsPerToken: 50,
    });
    expect([...config.authTokens!]).toEqual([
      ['s3cret-admin-token-01', { kind: 'admin' }],
      ['de-ops-token-000001', { kind: 'donor', country: 'DE' }],
      ['rhm-token-000000001', { kind: 'producer', org: 'rheinmetall' }],
      ['watch-token-0000001', { kind: 'ops' }],
    ]);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be an integer between 0 and 65535'],
    [{ PORT: '70000' }, 'PORT: must be an integer between 0 and 65535'],
    [{ PORT: '3.5' }, 'PORT: must be an integer between 0 and 65535'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS: must be a comma-separated list of host:port'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL: must be a URL like redis://127.0.0.1:6379'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL: must be a URL like postgres://'],
    [{ TRACKER_DEMO: 'yes' }, 'TRACKER_DEMO: must be "on" or "off"'],
    [{ BENCH_NOOP_WRITE: '1' }, 'BENCH_NOOP_WRITE: must be "on" or "off"'],
    [{ KAFKA_SSL: '1' }, 'KAFKA_SSL: must be "true" or "false"'],
    [
      { KAFKA_SESSION_TIMEOUT_MS: '5999' },
      'KAFKA_SESSION_TIMEOUT_MS: must be an integer between 6000 and 1800000',
    ],
    [
      { KAFKA_SESSION_TIMEOUT_MS: '10s' },
      'KAFKA_SESSION_TIMEOUT_MS: must be an integer between 6000',
    ],
    [
      { PROJECTION_SESSION_TIMEOUT_MS: '1800001' },
      'PROJECTION_SESSION_TIMEOUT_MS: must be an integer between 6000',
    ],
    [{ PROJECTION_TICK_MS: '-1' }, 'PROJECTION_TICK_MS: must be an integer between 0 and'],
    [{ PROJECTION_CLOCK: 'story' }, 'PROJECTION_CLOCK: must be "system" or "events"'],
    [{ READ_MODEL_NAMESPACE: 'a b' }, 'READ_MODEL_NAMESPACE: must be 1-64 characters'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of'],
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, 'KAFKA_SASL_MECHANISM: must be one of plain'],
    [
      { KAFKA_SASL_MECHANISM: 'plain' },
      'KAFKA_SASL_USERNAME: is required when KAFKA_SASL_MECHANISM is set',
    ],
    [{ LIVE_REPLAY_CAP: '0' }, 'LIVE_REPLAY_CAP: must be an integer between 1 and 1000000'],
    [
      { LIVE_MAX_UPDATES_PER_SECOND: 'fast' },
      'LIVE_MAX_UPDATES_PER_SECOND: must be an integer between 1 and 1000',
    ],
    [{ LIVE_CLIENT_BUFFER: '2.5' }, 'LIVE_CLIENT_BUFFER: must be an integer between 1 and 100000'],
    [{ AUTH_TOKENS: 'token-000000000001=root' }, 'AUTH_TOKENS: entry 1 has role "root"'],
    [
      { AUTH_TOKENS: 's3cret-admin-token-01=admin,nonsense' },
      'AUTH_TOKENS: entry 2 must be <token>=<role>',
    ],
    [{ AUTH_TOKENS: 'token-000000000001=donor:de' }, 'AUTH_TOKENS: entry 1 has role "donor:de"'],
    [
      { AUTH_TOKENS: 'token-000000000001=admin,token-000000000001=ops' },
      'AUTH_TOKENS: entry 2 repeats a token',
    ],
  ])('refuses %j naming the variable and the rule', (env, expected) => {
    expect(problemsOf(env)).toContain(expected);
  });

  it('refuses a token shorter than 16 characters by its position, never echoing it', () => {
    const message = problemsOf({ AUTH_TOKENS: 'long-enough-token-01=admin,short-secret=ops' });
    expect(message).toContain(
      'AUTH_TOKENS: entry 2 has a token of 12 characters; tokens need at least 16',
    );
    expect(message).not.toContain('short-secret');
  });

  it('names every bad variable on one line', () => {
    const message = problemsOf({ PORT: '-1', TRACKER_DEMO: 'maybe' });
    expect(message).toMatch(/^PORT: .*; TRACKER_DEMO: .*$/);
    expect(message).not.toContain('\n');
  });

  it('reads MAX_CLOCK_SKEW as milliseconds or with a unit, 5 minutes by default', () => {
    expect(loadConfig('pledge-service', {}).maxClockSkewMs).toBe(300_000);
    for (const [value, ms] of [
      ['300000', 300_000],
      ['250ms', 250],
      ['300s', 300_000],
      ['5m', 300_000],
      ['1h', 3_600_000],
      ['0', 0],
      ['24h', 86_400_000],
    ] as const) {
      expect(loadConfig('shipment-service', { MAX_CLOCK_SKEW: value }).maxClockSkewMs).toBe(ms);
    }
  });

  it.each(['5 minutes', '-1', '1.5m', '5d', 'm', '25h', '86400001'])(
    'refuses MAX_CLOCK_SKEW=%s naming the variable and the syntax',
    (value) => {
      expect(problemsOf({ MAX_CLOCK_SKEW: value })).toBe(
        'MAX_CLOCK_SKEW: must be a duration: whole milliseconds (300000) or a whole number with ms, s, m or h (300s, 5m), at most 24h',
      );
    },
  );

  it('gives every consumer a 6 s session by default, the projection KAFKA_SESSION_TIMEOUT_MS unless it has its own', () => {
    expect(loadConfig('shipment-service', {}).kafka.sessionTimeoutMs).toBe(6000);
    expect(loadConfig('projection-service', {}).projection.sessionTimeoutMs).toBe(6000);
    const shared = loadConfig('projection-service', { KAFKA_SESSION_TIMEOUT_MS: '10000' });
    expect(shared.kafka.sessionTimeoutMs).toBe(10_000);
    expect(shared.projection.sessionTimeoutMs).toBe(10_000);
    const own = loadConfig('projection-service', {
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      PROJECTION_SESSION_TIMEOUT_MS: '20000',
    });
    expect(own.projection.sessionTimeoutMs).toBe(20_000);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig('gateway', { PORT: '', KAFKA_BROKERS: '' }).port).toBe(3000);
  });

  it("takes a second entry point's own default port, which PORT still overrides", () => {
    expect(loadConfig('projection-service', {}, 3006).port).toBe(3006);
    expect(loadConfig('projection-service', { PORT: '4100' }, 3006).port).toBe(4100);
  });
});

describe('the webhook settings', () => {
  it('refuses private networks, waits 10 s per attempt and retries for a day by default', () => {
    expect(loadConfig('webhook-service', {}).webhooks).toEqual({
      allowPrivateNetworks: false,
      timeoutMs: 10_000,
      retryForMs: 86_400_000,
      backoffInitialMs: 5_000,
      backoffMaxMs: 3_600_000,
      concurrency: 16,
    });
    expect(loadConfig('webhook-service', {}).port).toBe(3005);
  });

  it('names the variable of a bad webhook setting', () => {
    expect(() => loadConfig('webhook-service', { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' })).toThrow(
      'WEBHOOK_ALLOW_PRIVATE_NETWORKS: must be "true" or "false"',
    );
    expect(() => loadConfig('webhook-service', { WEBHOOK_TIMEOUT: '10ms' })).toThrow(
      'WEBHOOK_TIMEOUT: must be a duration from 100ms to 120s',
    );
  });
});

describe('the write-side settings', () => {
  it('keeps each service in a schema named after it and points the gateway at the default ports', () => {
    expect(loadConfig('production-service', {}).databaseSchema).toBe('production_service');
    expect(loadConfig('gateway', {}).upstreams).toEqual({
      'pledge-service': 'http://127.0.0.1:3001',
      'production-service': 'http://127.0.0.1:3002',
      'shipment-service': 'http://127.0.0.1:3003',
      'webhook-service': 'http://127.0.0.1:3005',
      'time-travel': 'http://127.0.0.1:3006',
    });
    expect(loadConfig('gateway', {}).publicUrl).toBe('http://localhost:3000');
  });

  it('listens on loopback except for the gateway, unless HOST says otherwise', () => {
    expect(loadConfig('gateway', {}).host).toBeUndefined();
    expect(loadConfig('pledge-service', {}).host).toBe('127.0.0.1');
    expect(loadConfig('shipment-service', { HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig('gateway', { HOST: '::' }).host).toBe('::');
  });

  it('reads the edge limits and the trusted proxies, with their defaults', () => {
    const defaults = loadConfig('gateway', {});
    expect(defaults.authFailuresPerMinute).toBe(30);
    expect(defaults.trustedProxies).toEqual(['loopback']);
    const set = loadConfig('gateway', {
      AUTH_FAILURES_PER_MINUTE: '5',
      TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1,fd00::/8,uniquelocal',
      LIVE_RESUME_CONCURRENCY: '2',
      LIVE_MAX_CHANNELS_PER_SOCKET: '10',
      LIVE_MAX_SOCKETS_PER_TOKEN: '3',
    });
    expect(set.authFailuresPerMinute).toBe(5);
    expect(set.trustedProxies).toEqual(['10.0.0.0/8', '192.0.2.1', 'fd00::/8', 'uniquelocal']);
    expect(set.live).toMatchObject({
      resumeConcurrency: 2,
      maxChannelsPerSocket: 10,
      maxSocketsPerToken: 3,
    });
    expect(loadConfig('gateway', { TRUSTED_PROXIES: 'none' }).trustedProxies).toEqual([]);
  });

  it('reads the delay and budget of the public view, 30 days and 120 a minute by default', () => {
    expect(loadConfig('gateway', {}).publicView).toEqual({ delayDays: 30, requestsPerMinute: 120 });
    expect(
      loadConfig('gateway', { PUBLIC_DELAY_DAYS: '0', PUBLIC_REQUESTS_PER_MINUTE: '5' }).publicView,
    ).toEqual({ delayDays: 0, requestsPerMinute: 5 });
    expect(loadConfig('gateway', { PUBLIC_DELAY_DAYS: '3650' }).publicView.delayDays).toBe(3650);
  });

  it.each([
    [{ PUBLIC_DELAY_DAYS: '3651' }, 'PUBLIC_DELAY_DAYS: must be an integer between 0 and 3650'],
    [{ PUBLIC_DELAY_DAYS: '-1' }, 'PUBLIC_DELAY_DAYS: must be an integer between 0 and 3650'],
    [{ PUBLIC_DELAY_DAYS: '1.5' }, 'PUBLIC_DELAY_DAYS: must be an integer between 0 and 3650'],
    [{ PUBLIC_DELAY_DAYS: 'month' }, 'PUBLIC_DELAY_DAYS: must be an integer between 0 and 3650'],
    [
      { PUBLIC_REQUESTS_PER_MINUTE: '0' },
      'PUBLIC_REQUESTS_PER_MINUTE: must be an integer between 1',
    ],
  ])('refuses the public view setting %j naming the variable', (env, message) => {
    expect(() => loadConfig('gateway', env)).toThrow(message);
  });

  it.each([
    [{ HOST: 'not a host' }, 'HOST: must be an IP address'],
    [{ HOST: '-bad-' }, 'HOST: must be an IP address'],
    [{ TRUSTED_PROXIES: 'everyone' }, 'TRUSTED_PROXIES: must be "none" or'],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES: must be "none" or'],
    [{ AUTH_FAILURES_PER_MINUTE: '0' }, 'AUTH_FAILURES_PER_MINUTE: must be an integer between 1'],
    [{ LIVE_RESUME_CONCURRENCY: 'x' }, 'LIVE_RESUME_CONCURRENCY: must be an integer between 1'],
    [{ LIVE_MAX_CHANNELS_PER_SOCKET: '0' }, 'LIVE_MAX_CHANNELS_PER_SOCKET: must be an integer'],
    [{ LIVE_MAX_SOCKETS_PER_TOKEN: '-1' }, 'LIVE_MAX_SOCKETS_PER_TOKEN: must be an integer'],
  ])('refuses the edge setting %j naming the variable', (env, message) => {
    expect(() => loadConfig('gateway', env)).toThrow(message);
  });

  it.each([
    [{ DATABASE_SCHEMA: 'Pledges' }, 'DATABASE_SCHEMA: must be a lower-case Postgres identifier'],
    [{ PLEDGE_SERVICE_URL: 'pledges:3001' }, 'PLEDGE_SERVICE_URL: must be a URL like'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE: must be an integer between 1'],
    [{ KAFKA_GROUP_PREFIX: 'a b' }, 'KAFKA_GROUP_PREFIX: must be 1-100 characters'],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig('gateway', env)).toThrow(message);
  });
});

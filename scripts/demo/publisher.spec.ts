import type { Kafka } from 'kafkajs';
import pino from 'pino';
import {
  allocationLag,
  asHttp,
  backoffMs,
  describeStats,
  Publisher,
  PublisherOptions,
  RateLimiter,
  WriteFailed,
} from './publisher';
import { demoParties, EpcisStep, generateScenario, HttpStep, KafkaStep } from './scenario';
import {
  adminToken,
  ArgsError,
  kafkaSettings,
  parseSimulateArgs,
  partyTokens,
  play,
  saslFor,
} from './simulate';

const logger = pino({ level: 'silent' });
const scenario = generateScenario({ seed: 1 });
const step = scenario.steps.find((s): s is HttpStep => s.kind === 'http')!;
const kafkaStep = scenario.steps.find((s): s is KafkaStep => s.kind === 'kafka')!;
const producerDispatch = scenario.steps.find(
  (s): s is HttpStep =>
    s.kind === 'http' &&
    s.type === 'tracker.shipment.dispatched.v1' &&
    s.actor.startsWith('producer:'),
)!;
const epcisDispatch = scenario.steps.find(
  (s): s is EpcisStep =>
    s.kind === 'epcis' &&
    s.type === 'tracker.shipment.dispatched.v1' &&
    s.actor.startsWith('producer:'),
)!;
/** A token of at least 16 characters for every party of the story. */
const tokenOf = (role: string) => `demo-token-${role.replace(/[^a-z0-9]/gi, '-')}-0123456789`;
const TOKENS = new Map(demoParties(scenario).map((role) => [role, tokenOf(role)]));

type Answer =
  number | [number, Record<string, string>] | [number, Record<string, string>, unknown] | Error;

function fakeFetch(...answers: Answer[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn = jest.fn(async (url: string, init?: RequestInit) => {
    calls.push({ url, init: init ?? {} });
    const answer = answers.shift() ?? 201;
    if (answer instanceof Error) throw answer;
    const [status, headers, body] = typeof answer === 'number' ? [answer, {}] : answer;
    return new Response(
      status === 204 ? null : JSON.stringify(body ?? { detail: `status ${status}` }),
      { status, headers },
    );
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

function publisher(
  fetch: typeof globalThis.fetch,
  sleeps: number[] = [],
  options: Partial<PublisherOptions> = {},
) {
  return new Publisher({
    gatewayUrl: 'http://gateway.test/',
    tokens: TOKENS,
    rate: 1000,
    logger,
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
}

/** A kafkajs stand-in: one client per call, recording what its producer sends. */
function fakeKafka(failConnect = false) {
  const clients: Array<{ org: string; token: string }> = [];
  const sent: Array<{ topic: string; value: Record<string, unknown>; key: string }> = [];
  const kafkaFor = (org: string, token: string) => {
    clients.push({ org, token });
    return {
      producer: () => ({
        connect: async () => {
          if (failConnect) throw new Error('connection refused');
        },
        disconnect: async () => undefined,
        send: async ({
          topic,
          messages,
        }: {
          topic: string;
          messages: Array<{ key: string; value: Buffer }>;
        }) => {
          for (const m of messages)
            sent.push({
              topic,
              key: m.key,
              value: JSON.parse(m.value.toString()) as Record<string, unknown>,
            });
        },
      }),
    } as unknown as Kafka;
  };
  return { kafkaFor, clients, sent };
}

describe('Publisher', () => {
  it("posts the body with its party's token and the Idempotency-Key", async () => {
    const { fetch, calls } = fakeFetch(201);
    const p = publisher(fetch);
    await p.send(step);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(`http://gateway.test${step.path}`);
    expect(calls[0].init.method).toBe(step.method);
    expect(calls[0].init.headers).toEqual({
      authorization: `Bearer ${tokenOf(step.actor)}`,
      'content-type': 'application/json',
      'idempotency-key': step.idempotencyKey,
    });
    expect(JSON.parse(calls[0].init.body as string)).toEqual(step.body);
    expect(p.stats).toMatchObject({ writes: 1, errors: 0, retries: 0 });
  });

  it('retries network errors, 5xx, 429 and 409 with Retry-After, with the same key', async () => {
    const sleeps: number[] = [];
    const { fetch, calls } = fakeFetch(
      new TypeError('fetch failed'),
      503,
      [429, { 'Retry-After': '2' }],
      [409, { 'Retry-After': '1' }],
      201,
    );
    const p = publisher(fetch, sleeps);
    await p.send(step);
    expect(calls).toHaveLength(5);
    expect(
      new Set(calls.map((c) => (c.init.headers as Record<string, string>)['idempotency-key'])),
    ).toEqual(new Set([step.idempotencyKey]));
    expect(sleeps.slice(2)).toEqual([2000, 1000]);
    expect(p.stats).toMatchObject({ writes: 1, retries: 4, errors: 0 });
  });

  it('counts a refusal by status and does not retry it: 400, 403, 409 without Retry-After', async () => {
    for (const status of [400, 403, 409]) {
      const { fetch, calls } = fakeFetch(status);
      const p = publisher(fetch);
      await expect(p.send(step)).rejects.toThrow(WriteFailed);
      await expect(publisher(fakeFetch(status).fetch).send(step)).rejects.toThrow(`→ ${status}`);
      expect(calls).toHaveLength(1);
      expect(p.stats).toMatchObject({
        writes: 0,
        errors: 0,
        refused: { http: 1, kafka: 0, byStatus: { [status]: 1 } },
      });
      expect(describeStats(p.stats)).toContain(
        `refused: http 1, kafka 0, epcis 0 (${status}×1), errors: 0`,
      );
    }
  });

  it('retries a producer dispatch refused while shipment-service has not read its allocation yet', async () => {
    const lag = [
      403,
      {},
      { detail: 'producer:nammo has no lots allocated to pledge DK:EU1M:production: …' },
    ] as Answer;
    const { fetch, calls } = fakeFetch(lag, lag, 201);
    const p = publisher(fetch);
    await p.send(producerDispatch);
    expect(calls).toHaveLength(3);
    expect(p.stats).toMatchObject({ writes: 1, retries: 2, refused: { http: 0 } });

    const other = [403, {}, { detail: 'donor:DE cannot dispatch against pledge X' }] as Answer;
    await expect(publisher(fakeFetch(other).fetch).send(producerDispatch)).rejects.toThrow('→ 403');
    expect(allocationLag(step, 403, 'has no lots allocated to pledge X')).toBe(false);
    expect(
      allocationLag(
        producerDispatch,
        403,
        'lot RHM23H001-001 is not a lot of producer:rheinmetall allocated to pledge P',
      ),
    ).toBe(true);
  });

  it('counts transport failures as errors: gives up after its attempts, and at once when stopped', async () => {
    const { fetch, calls } = fakeFetch(...Array<number>(20).fill(503));
    const p = publisher(fetch);
    await expect(p.send(step)).rejects.toThrow('→ 503');
    expect(calls).toHaveLength(10);
    expect(p.stats).toMatchObject({ errors: 1, refused: { http: 0, kafka: 0 } });

    const stopped = fakeFetch(503, 503, 201);
    const q = publisher(stopped.fetch);
    q.stop();
    await expect(q.send(step)).rejects.toThrow(WriteFailed);
    expect(stopped.calls).toHaveLength(1);
  });

  it('never sends a step whose party has no token: refused, not sent as anyone else', async () => {
    const { fetch, calls } = fakeFetch(201);
    const p = publisher(fetch, [], {
      tokens: new Map([['admin', 'an-admin-token-of-16+']]),
    });
    await expect(p.send(step)).rejects.toThrow(`no token for ${step.actor}`);
    await expect(p.send(kafkaStep)).rejects.toThrow(`no token for ${kafkaStep.actor}`);
    expect(calls).toHaveLength(0);
    expect(p.stats.refused).toEqual({ http: 1, kafka: 1, epcis: 0, byStatus: { 'no-token': 2 } });
  });

  it('sends producer milestones over HTTP, as the producer, when there is no Kafka', async () => {
    const { fetch, calls } = fakeFetch(201);
    const p = publisher(fetch);
    await p.send(kafkaStep);
    expect(calls[0].url).toBe(
      `http://gateway.test/v1/shipments/${kafkaStep.payload.shipmentId}/milestones`,
    );
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe(
      `Bearer ${tokenOf(kafkaStep.actor)}`,
    );
    const { shipmentId: _id, ...body } = kafkaStep.payload;
    expect(JSON.parse(calls[0].init.body as string)).toEqual(body);
    expect(p.stats.kafkaFallbacks).toBe(1);
    expect(asHttp(kafkaStep).idempotencyKey).toContain(kafkaStep.eventId);
    expect(asHttp(kafkaStep).actor).toBe(kafkaStep.actor);
  });

  it("publishes on the producer's own topic with its own client, then waits to see it applied", async () => {
    const kafka = fakeKafka();
    const pending = [200, {}, { status: 'in-transit', lastMilestone: null }] as Answer;
    const applied = [
      200,
      {},
      { status: 'in-transit', lastMilestone: { at: kafkaStep.payload.at } },
    ] as Answer;
    const { fetch, calls } = fakeFetch(pending, applied);
    const p = publisher(fetch, [], { kafkaFor: kafka.kafkaFor, topicPrefix: 'tenant.' });
    await p.send(kafkaStep);
    const org = kafkaStep.actor.slice('producer:'.length);
    expect(kafka.clients).toEqual([{ org, token: tokenOf(kafkaStep.actor) }]);
    expect(kafka.sent).toHaveLength(1);
    expect(kafka.sent[0].topic).toBe(`tenant.tracker.inbound.${org}.shipments.v1`);
    expect(kafka.sent[0].value).toMatchObject({
      id: kafkaStep.eventId,
      source: `/producers/${org}`,
      data: kafkaStep.payload,
    });
    // Read back as the sender until the milestone shows.
    expect(calls.map((c) => c.url)).toEqual([
      `http://gateway.test/v1/shipments/${kafkaStep.payload.shipmentId}`,
      `http://gateway.test/v1/shipments/${kafkaStep.payload.shipmentId}`,
    ]);
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe(
      `Bearer ${tokenOf(kafkaStep.actor)}`,
    );
    expect(p.stats).toMatchObject({ writes: 1, kafka: 1, unconfirmed: 0, kafkaFallbacks: 0 });

    // One client per organisation, made once.
    await p.send(kafkaStep);
    expect(kafka.clients).toHaveLength(1);
  });

  it('counts a dead letter of a milestone it sent, off the topic it sent it to, once', async () => {
    const kafka = fakeKafka();
    let now = 0;
    const p = publisher(fakeFetch(...Array<Answer>(50).fill(404)).fetch, [], {
      kafkaFor: kafka.kafkaFor,
      confirmTimeoutMs: 1000,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const sending = p.send(kafkaStep);
    await new Promise((resolve) => setImmediate(resolve));
    const topic = kafka.sent[0]?.topic;
    expect(topic).toBe(`tracker.inbound.${kafkaStep.actor.slice(9)}.shipments.v1`);
    expect(p.deadLetter('another-id', topic, 'refused')).toBe(false);
    expect(p.deadLetter(kafkaStep.eventId, 'tracker.inbound.other.shipments.v1', 'x')).toBe(false);
    expect(p.deadLetter(kafkaStep.eventId, topic, 'not the sender')).toBe(true);
    expect(p.deadLetter(kafkaStep.eventId, topic, 'not the sender')).toBe(false);
    await sending;
    expect(p.stats.refused).toEqual({
      http: 0,
      kafka: 1,
      epcis: 0,
      byStatus: { 'dead-letter': 1 },
    });
    expect(describeStats(p.stats)).toContain('refused: http 0, kafka 1');
  });

  it('goes on after the confirmation time when a milestone never shows', async () => {
    let now = 0;
    const p = publisher(fakeFetch(...Array<Answer>(100).fill(404)).fetch, [], {
      kafkaFor: fakeKafka().kafkaFor,
      confirmTimeoutMs: 2000,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    await p.send(kafkaStep);
    expect(p.stats).toMatchObject({ kafka: 1, unconfirmed: 1, refused: { kafka: 0 } });
  });

  it('falls back to HTTP as the producer when its Kafka does not connect', async () => {
    const { fetch, calls } = fakeFetch(201);
    const p = publisher(fetch, [], { kafkaFor: fakeKafka(true).kafkaFor });
    await p.send(kafkaStep);
    expect(calls[0].url).toMatch(/\/milestones$/);
    expect(p.stats).toMatchObject({ kafka: 0, kafkaFallbacks: 1, writes: 1 });
  });
});

describe('Publisher, EPCIS captures', () => {
  const accepted = (id: string): Answer => [
    202,
    { location: `/epcis/capture/${id}` },
    { id, status: 'pending' },
  ];
  const job = (id: string, status: string, more: object = {}): Answer => [
    200,
    {},
    { id, status, ...more },
  ];

  it("posts the document with its party's token and key, then follows the capture until it succeeded", async () => {
    const { fetch, calls } = fakeFetch(
      accepted('c1'),
      job('c1', 'pending'),
      job('c1', 'succeeded'),
    );
    const p = publisher(fetch);
    await p.send(epcisDispatch);
    expect(calls.map((c) => `${c.init.method ?? 'GET'} ${c.url}`)).toEqual([
      'POST http://gateway.test/epcis/capture',
      'GET http://gateway.test/epcis/capture/c1',
      'GET http://gateway.test/epcis/capture/c1',
    ]);
    expect(calls[0].init.headers).toMatchObject({
      authorization: `Bearer ${tokenOf(epcisDispatch.actor)}`,
      'idempotency-key': epcisDispatch.idempotencyKey,
    });
    expect(calls[1].init.headers).toEqual({
      authorization: `Bearer ${tokenOf(epcisDispatch.actor)}`,
    });
    expect(JSON.parse(calls[0].init.body as string)).toEqual(epcisDispatch.document);
    expect(p.stats).toMatchObject({ writes: 1, epcis: 1, errors: 0, refused: { epcis: 0 } });
    expect(describeStats(p.stats)).toContain('(0 on Kafka, 1 by EPCIS)');
  });

  it('counts a failed capture as refused, naming each refused event', async () => {
    const failed = job('c2', 'failed', {
      errors: [
        {
          index: 0,
          errorType: 'ValidationException',
          rule: 'exceeds-allocation',
          field: 'quantityList',
          detail: 'more than allocated',
        },
      ],
    });
    const p = publisher(fakeFetch(accepted('c2'), failed).fetch);
    await expect(p.send(epcisDispatch)).rejects.toThrow(
      /POST \/epcis\/capture \(dispatched .+\): EPCIS capture c2 failed: event 0 ValidationException exceeds-allocation at quantityList: more than allocated/,
    );
    expect(p.stats.refused).toEqual({
      http: 0,
      kafka: 0,
      epcis: 1,
      byStatus: { 'capture-failed': 1 },
    });
  });

  it('captures again, under a key of its own, when the allocation was not read yet', async () => {
    const lagging = job('c3', 'failed', {
      errors: [
        {
          index: 0,
          errorType: 'SecurityException',
          rule: 'outside-scope',
          detail: 'producer:nammo has no lots allocated to pledge P',
        },
      ],
    });
    const { fetch, calls } = fakeFetch(
      accepted('c3'),
      lagging,
      accepted('c4'),
      job('c4', 'succeeded'),
    );
    const p = publisher(fetch);
    await p.send(epcisDispatch);
    const keys = calls
      .filter((c) => c.init.method === 'POST')
      .map((c) => (c.init.headers as Record<string, string>)['idempotency-key']);
    expect(keys).toEqual([epcisDispatch.idempotencyKey, `${epcisDispatch.idempotencyKey}-again-1`]);
    expect(p.stats).toMatchObject({ writes: 1, epcis: 1, retries: 1, refused: { epcis: 0 } });
  });

  it('counts a capture still pending past the deadline as an error, not a refusal', async () => {
    let clock = 0;
    const { fetch } = fakeFetch(accepted('c5'), job('c5', 'pending'), job('c5', 'pending'));
    const p = publisher(fetch, [], { captureTimeoutMs: 10, now: () => (clock += 6) });
    await expect(p.send(epcisDispatch)).rejects.toThrow(/not decided: capture c5 still pending/);
    expect(p.stats).toMatchObject({ errors: 1, refused: { epcis: 0 } });
  });
});

describe('backoffMs', () => {
  it('honours Retry-After in seconds, else backs off exponentially', () => {
    expect(backoffMs(0, '3')).toBe(3000);
    expect(backoffMs(0, '0')).toBe(0);
    expect(backoffMs(5, '600')).toBe(30_000);
    expect(backoffMs(0, null)).toBeLessThanOrEqual(200);
    expect(backoffMs(3, null)).toBeGreaterThanOrEqual(800);
    expect(backoffMs(20, null)).toBeLessThanOrEqual(10_000);
  });
});

describe('RateLimiter', () => {
  it('lets `rate` writes a second through', async () => {
    let now = 0;
    const limiter = new RateLimiter(
      5,
      () => now,
      async (ms) => {
        now += ms;
      },
    );
    for (let i = 0; i < 25; i++) await limiter.take();
    // 5 at once, then 20 more at 5 a second.
    expect(now).toBeGreaterThanOrEqual(3900);
    expect(now).toBeLessThanOrEqual(4100);
  });
});

describe('simulate arguments', () => {
  it('takes --rate, --speed, --seed and --once', () => {
    expect(parseSimulateArgs(['--rate', '200', '--speed=3600', '--seed', '7', '--once'])).toEqual({
      rate: 200,
      speed: 3600,
      seed: 7,
      once: true,
      help: false,
    });
    expect(parseSimulateArgs([])).toMatchObject({
      rate: 50,
      speed: 86_400,
      seed: 2023,
      once: false,
    });
  });

  it('refuses a bad flag with a clear message', () => {
    expect(() => parseSimulateArgs(['--rate', 'fast'])).toThrow(
      new ArgsError(
        '--rate must be a number of writes per second above 0 (at most 100000), got "fast"',
      ),
    );
    expect(() => parseSimulateArgs(['--speed', '0'])).toThrow(/--speed must be a positive number/);
    expect(() => parseSimulateArgs(['--speed'])).toThrow(ArgsError);
    expect(() => parseSimulateArgs(['--seed', '1.5'])).toThrow(
      /--seed must be a non-negative integer/,
    );
    expect(() => parseSimulateArgs(['--sped', '3'])).toThrow(/--sped/);
    expect(() => parseSimulateArgs(['extra'])).toThrow(ArgsError);
  });

  it('finds the admin token', () => {
    expect(adminToken({ TRACKER_ADMIN_TOKEN: 'a' })).toBe('a');
    expect(
      adminToken({ AUTH_TOKENS: 'ops-token-0123456789=ops,admin-token-0123456789=admin' }),
    ).toBe('admin-token-0123456789');
    expect(adminToken({ AUTH_TOKENS: 'ops-token-0123456789=ops' })).toBeUndefined();
    expect(adminToken({})).toBeUndefined();
  });

  it("finds each party's token: the first of each role, TRACKER_ADMIN_TOKEN for admin", () => {
    const tokens = partyTokens({
      AUTH_TOKENS: [
        'donor-de-token-0123456789=donor:DE',
        'donor-de-second-0123456789=donor:DE',
        'rheinmetall-token-0123456789=producer:rheinmetall',
        'recipient-ua-token-0123456789=recipient:UA',
        'admin-token-0123456789=admin',
      ].join(','),
      TRACKER_ADMIN_TOKEN: 'launcher-admin-0123456789',
    });
    expect(Object.fromEntries(tokens)).toEqual({
      'donor:DE': 'donor-de-token-0123456789',
      'producer:rheinmetall': 'rheinmetall-token-0123456789',
      'recipient:UA': 'recipient-ua-token-0123456789',
      admin: 'launcher-admin-0123456789',
    });
    expect(() => partyTokens({ AUTH_TOKENS: 'x=chief' })).toThrow(ArgsError);
  });
});

describe('Kafka settings', () => {
  it("takes the services' settings, and signs each party in as itself when SASL is on", () => {
    const settings = kafkaSettings({
      KAFKA_BROKERS: 'broker-1:9092,broker-2:9092',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_TOPIC_PREFIX: 'tenant-a.',
      KAFKA_GROUP_PREFIX: 'ops-centre',
    });
    expect(settings).toEqual({
      brokers: ['broker-1:9092', 'broker-2:9092'],
      ssl: false,
      saslMechanism: 'scram-sha-512',
      topicPrefix: 'tenant-a.',
      groupPrefix: 'ops-centre',
    });
    expect(saslFor(settings, 'producer:nammo', 'nammo-token-0123456789')).toEqual({
      mechanism: 'scram-sha-512',
      username: 'producer:nammo',
      password: 'nammo-token-0123456789',
    });
    expect(saslFor({}, 'producer:nammo', 'nammo-token-0123456789')).toBeUndefined();
    expect(kafkaSettings({})).toMatchObject({ topicPrefix: '', groupPrefix: 'tracker' });
  });
});

describe('play', () => {
  const fast = { speed: 1e12, logger, concurrency: 8, sleep: async () => undefined };

  it('sends every step, in order on each entity, side by side otherwise', async () => {
    const small = { ...scenario, steps: scenario.steps.slice(0, 400) };
    const started: number[] = [];
    const done = new Set<number>();
    const byRef = new Map<string, number[]>();
    for (const s of small.steps)
      for (const ref of s.refs) byRef.set(ref, [...(byRef.get(ref) ?? []), s.seq]);
    let inFlight = 0;
    let most = 0;
    const result = await play({
      ...fast,
      scenario: small,
      signal: new AbortController().signal,
      publisher: {
        stats: publisher(fakeFetch().fetch).stats,
        send: async (s) => {
          for (const ref of s.refs) {
            for (const earlier of byRef.get(ref)!)
              if (earlier < s.seq) expect(done.has(earlier)).toBe(true);
          }
          started.push(s.seq);
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, (s.seq * 7) % 3));
          inFlight--;
          done.add(s.seq);
        },
      },
    });
    expect(result).toEqual({ played: 400, failed: 0 });
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
  });

  it('counts failures and goes on', async () => {
    const small = { ...scenario, steps: scenario.steps.slice(0, 50) };
    const result = await play({
      ...fast,
      scenario: small,
      signal: new AbortController().signal,
      publisher: {
        stats: publisher(fakeFetch().fetch).stats,
        send: async (s) => {
          if (s.seq % 10 === 0) throw new Error('refused');
        },
      },
    });
    expect(result).toEqual({ played: 45, failed: 5 });
  });

  it('starts nothing new once stopped, and lets in-flight writes finish', async () => {
    const stop = new AbortController();
    let finished = 0;
    const result = await play({
      ...fast,
      scenario,
      signal: stop.signal,
      publisher: {
        stats: publisher(fakeFetch().fetch).stats,
        send: async () => {
          if (finished === 20) stop.abort();
          await new Promise((resolve) => setTimeout(resolve, 1));
          finished++;
        },
      },
    });
    expect(result.played).toBe(finished);
    expect(finished).toBeLessThan(40);
  });
});

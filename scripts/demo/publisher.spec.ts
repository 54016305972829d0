import pino from 'pino';
import { asHttp, backoffMs, Publisher, RateLimiter, WriteFailed } from './publisher';
import { generateScenario, HttpStep, KafkaStep } from './scenario';
import { adminToken, ArgsError, parseSimulateArgs, play } from './simulate';

const logger = pino({ level: 'silent' });
const scenario = generateScenario({ seed: 1 });
const step = scenario.steps.find((s): s is HttpStep => s.kind === 'http')!;
const kafkaStep = scenario.steps.find((s): s is KafkaStep => s.kind === 'kafka')!;

function fakeFetch(...answers: Array<number | [number, Record<string, string>] | Error>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn = jest.fn(async (url: string, init?: RequestInit) => {
    calls.push({ url, init: init! });
    const answer = answers.shift() ?? 201;
    if (answer instanceof Error) throw answer;
    const [status, headers] = typeof answer === 'number' ? [answer, {}] : answer;
    return new Response(status === 204 ? null : JSON.stringify({ detail: `status ${status}` }), {
      status,
      headers,
    });
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

function publisher(fetch: typeof globalThis.fetch, sleeps: number[] = []) {
  return new Publisher({
    gatewayUrl: 'http://gateway.test/',
    token: 'secret',
    rate: 1000,
    logger,
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

describe('Publisher', () => {
  it('posts the body with the token and the Idempotency-Key', async () => {
    const { fetch, calls } = fakeFetch(201);
    const p = publisher(fetch);
    await p.send(step);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(`http://gateway.test${step.path}`);
    expect(calls[0].init.method).toBe(step.method);
    expect(calls[0].init.headers).toEqual({
      authorization: 'Bearer secret',
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

  it('does not retry a refusal: 400, 403, 409 without Retry-After', async () => {
    for (const status of [400, 403, 409]) {
      const { fetch, calls } = fakeFetch(status);
      const p = publisher(fetch);
      await expect(p.send(step)).rejects.toThrow(WriteFailed);
      await expect(publisher(fakeFetch(status).fetch).send(step)).rejects.toThrow(`→ ${status}`);
      expect(calls).toHaveLength(1);
      expect(p.stats).toMatchObject({ writes: 0, errors: 1 });
    }
  });

  it('gives up after its attempts, and at once when stopped', async () => {
    const { fetch, calls } = fakeFetch(...Array<number>(20).fill(503));
    await expect(publisher(fetch).send(step)).rejects.toThrow('→ 503');
    expect(calls).toHaveLength(10);

    const stopped = fakeFetch(503, 503, 201);
    const p = publisher(stopped.fetch);
    p.stop();
    await expect(p.send(step)).rejects.toThrow(WriteFailed);
    expect(stopped.calls).toHaveLength(1);
  });

  it('sends producer milestones over HTTP when there is no Kafka producer', async () => {
    const { fetch, calls } = fakeFetch(201);
    const p = publisher(fetch);
    await p.send(kafkaStep);
    expect(calls[0].url).toBe(
      `http://gateway.test/v1/shipments/${kafkaStep.payload.shipmentId}/milestones`,
    );
    const { shipmentId: _id, ...body } = kafkaStep.payload;
    expect(JSON.parse(calls[0].init.body as string)).toEqual(body);
    expect(p.stats.kafkaFallbacks).toBe(1);
    expect(asHttp(kafkaStep).idempotencyKey).toContain(kafkaStep.eventId);
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
    expect(adminToken({ AUTH_TOKENS: 'ops-token-000000001=ops,adm-token-000000001=admin' })).toBe(
      'adm-token-000000001',
    );
    expect(adminToken({ AUTH_TOKENS: 'ops-token-000000001=ops' })).toBeUndefined();
    expect(adminToken({})).toBeUndefined();
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

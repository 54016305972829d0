import { inboundShipmentsTopic } from '@tracker/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
// The repository's own in-process write stack (gateway and write services, per-suite topics and
// schemas), as the end-to-end suites of test/ use it; it has no @tracker/* alias.
// eslint-disable-next-line no-restricted-imports
import { startWriteStack, WriteStack } from '../../test/write-stack';
import {
  demoParties,
  generateScenario,
  HttpStep,
  KafkaStep,
  Scenario,
  sliceScenario,
} from './scenario';
import { Demo, DemoResult, runDemo } from './simulate';

/**
 * A short slice of the story — pledges by their donors, lots, QA and allocations by their
 * producers, dispatches by producers (citing their allocated lots) and by a donor from stocks,
 * producer milestones on their own Kafka topics and over HTTP, receipts by the recipients —
 * played at full speed against the real write stack, each party with its own token: nothing is
 * refused on either door. Then one foreign write on each door shows up in the counts.
 */
describe('the demo simulator against the write stack', () => {
  jest.setTimeout(180_000);

  const slice: Scenario = sliceScenario(generateScenario({ seed: 2023 }), {
    pledges: [
      'DE:EU1M:stock',
      'DE:EU1M:production',
      'GB:2023:155',
      'DE:2023:IRIS-T',
      'DE:2024:REPL-155',
    ],
    shipmentsPerPledge: 2,
  });
  /** One token of at least 16 characters per party of the slice, and one for admin. */
  const tokens = new Map(
    [...demoParties(slice), 'admin'].map((role) => [
      role,
      `demo-${role.replace(/[^a-z0-9]/gi, '-')}-${randomBytes(8).toString('hex')}`,
    ]),
  );
  /** A logger of warnings only, whose messages land in `into`. */
  const warningsInto = (into: string[]) =>
    pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          into.push(String((JSON.parse(chunk.toString()) as { msg?: unknown }).msg));
          done();
        },
      }),
    );
  const warnings: string[] = [];
  const logger = warningsInto(warnings);
  /** The whole slice, played as a (re)started simulator with every party's token would. */
  const playSlice = () =>
    runDemo({
      scenario: slice,
      speed: 1e12,
      rate: 500,
      concurrency: 16,
      gatewayUrl: stack.gateway.url,
      tokens,
      kafka: {
        brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
        ssl: false,
        topicPrefix: stack.topic(''),
        groupPrefix: `t-demosim-${randomBytes(4).toString('hex')}`,
      },
      logger,
      signal: new AbortController().signal,
    });
  let stack: WriteStack;
  let demo: Demo;
  let result: DemoResult;

  beforeAll(async () => {
    stack = await startWriteStack('demosim', {
      AUTH_TOKENS: [...tokens].map(([role, token]) => `${token}=${role}`).join(','),
    });
    demo = playSlice();
    result = await demo.done;
  });

  afterAll(async () => {
    await demo?.close();
    await stack?.stop();
  });

  it('covers every party and both doors', () => {
    const count = (predicate: (step: Scenario['steps'][number]) => boolean) =>
      slice.steps.filter(predicate).length;
    expect(count((s) => s.type === 'tracker.pledge.announced.v1')).toBe(5);
    expect(count((s) => s.type === 'tracker.pledge.amended.v1')).toBe(1);
    expect(count((s) => s.type === 'tracker.production.allocated.v1')).toBeGreaterThan(3);
    expect(
      count((s) => s.type === 'tracker.shipment.dispatched.v1' && s.actor.startsWith('donor:')),
    ).toBe(4);
    expect(
      count((s) => s.type === 'tracker.shipment.dispatched.v1' && s.actor.startsWith('producer:')),
    ).toBe(6);
    expect(count((s) => s.kind === 'kafka')).toBeGreaterThan(1);
    expect(count((s) => s.actor === 'recipient:UA')).toBeGreaterThan(3);
    expect(count((s) => s.actor === 'recipient:DE')).toBeGreaterThan(0);
  });

  it('plays the slice with nothing refused on either door', () => {
    expect(warnings).toEqual([]);
    expect(result).toMatchObject({
      played: slice.steps.length,
      failed: 0,
      missing: [],
      watchedDeadLetters: true,
    });
    expect(result.stats).toMatchObject({
      refused: { http: 0, kafka: 0, byStatus: {} },
      errors: 0,
      unconfirmed: 0,
      kafkaFallbacks: 0,
      kafka: slice.steps.filter((s) => s.kind === 'kafka').length,
    });
  });

  it('declares the story’s programmes as admin, with their targets', async () => {
    const response = await fetch(`${stack.gateway.url}/v1/programmes/EU-1M-SHELLS`, {
      headers: { authorization: `Bearer ${tokens.get('recipient:UA')}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      programmeId: 'EU-1M-SHELLS',
      itemCode: 'AMMO-155MM',
      targetQuantity: 1_000_000,
    });
  });

  it('replays the slice, as a restarted simulator would, with nothing refused', async () => {
    const again = playSlice();
    const replayed = await again.done;
    await again.close();
    expect(warnings).toEqual([]);
    expect(replayed).toMatchObject({ played: slice.steps.length, failed: 0 });
    expect(replayed.stats).toMatchObject({
      refused: { http: 0, kafka: 0 },
      errors: 0,
      unconfirmed: 0,
    });
  });

  it('counts a foreign write on either door as refused', async () => {
    const before = { ...demo.publisher.stats.refused };
    // A receipt by the sender instead of the recipient: 403.
    const delivery = slice.steps.find(
      (s): s is HttpStep => s.kind === 'http' && s.type === 'tracker.shipment.delivered.v1',
    )!;
    const dispatch = slice.steps.find(
      (s) =>
        s.type === 'tracker.shipment.dispatched.v1' &&
        (s.payload as { shipmentId: string }).shipmentId ===
          (delivery.payload as { shipmentId: string }).shipmentId,
    )!;
    await expect(
      demo.publisher.send({
        ...delivery,
        actor: dispatch.actor,
        idempotencyKey: `foreign-${randomUUID()}`,
      }),
    ).rejects.toThrow('→ 403');

    // A milestone of one producer's shipment on another producer's own topic: dead-lettered.
    const kafka = slice.steps.find((s): s is KafkaStep => s.kind === 'kafka')!;
    const other = demoParties(slice).find(
      (role) => role.startsWith('producer:') && role !== kafka.actor,
    )!;
    const org = other.slice('producer:'.length);
    await demo.publisher.send({
      ...kafka,
      actor: other,
      topic: inboundShipmentsTopic(org),
      source: `/producers/${org}`,
      eventId: randomUUID(),
    });
    expect(demo.publisher.stats.refused).toEqual({
      http: before.http + 1,
      kafka: before.kafka + 1,
      byStatus: { ...before.byStatus, 403: 1, 'dead-letter': 1 },
    });
  });

  it('names the parties without a token and counts their steps as refused, never sent as admin', async () => {
    const small = sliceScenario(slice, { pledges: ['DE:2023:IRIS-T'], shipmentsPerPledge: 1 });
    const receipts = small.steps.filter((s) => s.actor === 'recipient:UA').length;
    expect(receipts).toBe(1);
    const seen: string[] = [];
    const partial = runDemo({
      scenario: small,
      speed: 1e12,
      rate: 500,
      gatewayUrl: stack.gateway.url,
      tokens: new Map([...tokens].filter(([role]) => role !== 'recipient:UA')),
      logger: warningsInto(seen),
      signal: new AbortController().signal,
    });
    const outcome = await partial.done;
    await partial.close();
    expect(outcome.missing).toEqual(['recipient:UA']);
    expect(seen[0]).toMatch(
      /^no token in AUTH_TOKENS for recipient:UA: their 1 step is counted as refused/,
    );
    expect(outcome.stats.refused).toEqual({ http: 1, kafka: 0, byStatus: { 'no-token': 1 } });
    expect(outcome.played).toBe(small.steps.length - 1);
  });
});

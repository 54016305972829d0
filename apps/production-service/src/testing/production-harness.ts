import {
  buildEvent,
  PledgeAmendedV1,
  PledgeAnnouncedV1,
  PledgeCancelledV1,
  serialize,
  TOPICS,
  TrackerEvent,
} from '@tracker/contracts';
import {
  aLot,
  LotBuilder,
  startTestService,
  TEST_TOKENS,
  TestDatabase,
  TestService,
  TopicWatcher,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import { randomInt } from 'node:crypto';
import { Kafka, logLevel, Producer } from 'kafkajs';
import request, { Response, Test } from 'supertest';
import { AppModule, prepareProductionService } from '../app.module';

/** Bearer headers of the test tokens. */
export const AS = {
  admin: `Bearer ${TEST_TOKENS.admin}`,
  ops: `Bearer ${TEST_TOKENS.ops}`,
  donorDE: `Bearer ${TEST_TOKENS.donorDE}`,
  donorPL: `Bearer ${TEST_TOKENS.donorPL}`,
  rheinmetall: `Bearer ${TEST_TOKENS.producerRheinmetall}`,
  nammo: `Bearer ${TEST_TOKENS.producerNammo}`,
} as const;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const pick = (characters: string, count: number) =>
  Array.from({ length: count }, () => characters[randomInt(characters.length)]).join('');

/**
 * A MIL-STD-1168 style lot number no other suite of the run uses: the builders' sequence starts
 * again in every suite, while the topics (and so the watchers' keys) are shared by the run.
 */
export function uniqueLotId(): string {
  const digits = '0123456789';
  return `T${pick(ALPHANUMERIC, 3)}${pick(digits, 2)}${pick('ABCDEFGHJKLM', 1)}${pick(digits, 3)}-${pick(digits, 3)}${pick(ALPHANUMERIC, 2)}`;
}

/** A Rheinmetall lot of 2,400 rounds that passed QA, with a lot number of its own. */
export function aUniqueLot(): LotBuilder {
  return aLot().withLotId(uniqueLotId());
}

/** A problem+json body as the HTTP edge answers every refusal. */
export interface ProblemBody {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: { field: string; rule: string }[];
}

/**
 * production-service on a port and a Postgres schema of its own, a watcher of the topics it
 * publishes on, and a Kafka producer that plays pledge-service on tracker.pledges.v1.
 */
export class ProductionHarness {
  private constructor(
    readonly service: TestService,
    readonly database: TestDatabase,
    readonly watcher: TopicWatcher,
    private readonly producer: Producer,
  ) {}

  static async start(label: string): Promise<ProductionHarness> {
    const database = await TestDatabase.create(label);
    const watcher = await TopicWatcher.start([
      TOPICS.production,
      TOPICS.stockpiles,
      TOPICS.pledges,
    ]);
    const service = await startTestService(
      'production-service',
      (config) => AppModule.forRoot(config),
      { DATABASE_SCHEMA: database.schema, KAFKA_GROUP_PREFIX: uniqueGroupPrefix(label) },
      prepareProductionService,
    );
    const kafka = new Kafka({
      brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    return new ProductionHarness(service, database, watcher, producer);
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
    await this.service.close();
    await this.watcher.stop();
    await this.database.drop();
  }

  /** POSTs `body` as the caller `authorization` (no header when undefined). */
  post(
    path: string,
    authorization: string | undefined,
    body: unknown,
    headers: Record<string, string> = {},
  ): Test {
    const call = request(this.service.url).post(path).set(headers);
    return (authorization === undefined ? call : call.set('Authorization', authorization)).send(
      body as object,
    );
  }

  get(path: string, authorization: string = AS.ops): Test {
    return request(this.service.url).get(path).set('Authorization', authorization);
  }

  /** Publishes a pledge event on tracker.pledges.v1, as pledge-service's relay would. */
  async publishPledgeEvent(event: TrackerEvent): Promise<void> {
    await this.producer.send({ topic: TOPICS.pledges, messages: [serialize(event)] });
  }

  /** Announces `pledge` on Kafka and waits until the service's view of pledges has it. */
  async knownPledge(pledge: PledgeAnnouncedV1): Promise<void> {
    await this.publishPledgeEvent(
      buildEvent('tracker.pledge.announced.v1', pledge, { source: '/pledge-service' }),
    );
    await this.viewOf(pledge.pledgeId, () => true);
  }

  async amendPledge(amendment: PledgeAmendedV1): Promise<void> {
    await this.publishPledgeEvent(
      buildEvent('tracker.pledge.amended.v1', amendment, { source: '/pledge-service' }),
    );
    await this.viewOf(amendment.pledgeId, (view) => view.quantity === amendment.quantity);
  }

  async cancelPledge(cancellation: PledgeCancelledV1): Promise<void> {
    await this.publishPledgeEvent(
      buildEvent('tracker.pledge.cancelled.v1', cancellation, { source: '/pledge-service' }),
    );
    await this.viewOf(cancellation.pledgeId, (view) => view.status === 'cancelled');
  }

  /** Polls GET /v1/pledges-view/:id until the view of the pledge satisfies `accept`. */
  async viewOf(
    pledgeId: string,
    accept: (view: { quantity: number; status: string }) => boolean,
  ): Promise<void> {
    await waitFor(`the view of pledge ${pledgeId}`, async () => {
      const response = await this.get(`/v1/pledges-view/${pledgeId}`);
      return response.status === 200 && accept(response.body as never);
    });
  }

  /**
   * The event types published with `key`, once `count` of them arrived. Pass the count the test
   * expects after a marker write: a refused write that had emitted would show up before the
   * marker (one key, one partition, commit order), so the list would not match.
   */
  async typesWithKey(key: string, count: number): Promise<string[]> {
    await this.watcher.waitFor(`${count} events keyed ${key}`, (m) => m.key === key, count);
    return this.watcher.withKey(key).map((message) => String(message.json?.type));
  }
}

/** Asserts a problem+json refusal with `status`, naming `field` when given. */
export function expectProblem(response: Response, status: number, field?: string): ProblemBody {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.body as ProblemBody;
  if (field !== undefined) {
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  }
  return body;
}

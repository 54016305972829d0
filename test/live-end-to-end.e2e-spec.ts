import { DonorValue } from '@tracker/read-model';
import {
  aPledge,
  startTestService,
  TEST_TOKENS,
  TestRedis,
  TestService,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import request from 'supertest';
import { LiveClient } from '../apps/gateway/dashboard/live-client';
import { AppModule as ProjectionModule } from '../apps/projection-service/src/app.module';
import { startWriteStack, WriteStack } from './write-stack';

// The whole path of a change: an HTTP write through the gateway, the pledge-service's outbox,
// Kafka, the projection's atomic step into Redis, the gateway's change feed, a /live socket.

describe('a write reaches a live client', () => {
  const redis = new TestRedis('live-e2e');
  const shared = {
    REDIS_KEY_PREFIX: redis.prefix,
    READ_MODEL_NAMESPACE: 'live-e2e',
    KAFKA_TOPIC_PREFIX: `${uniqueGroupPrefix('live-e2e')}.`,
  };
  let stack: WriteStack;
  let projection: TestService;
  let client: LiveClient;

  beforeAll(async () => {
    stack = await startWriteStack('live', shared);
    projection = await startTestService(
      'projection-service',
      (config) => ProjectionModule.forRoot(config),
      { ...shared, KAFKA_GROUP_PREFIX: uniqueGroupPrefix('live-e2e') },
    );
    // Ready once its consumer joined and caught up with what the topics already hold.
    await waitFor(
      'the projection to be ready',
      async () => (await fetch(`${projection.url}/health/ready`)).ok,
      { timeoutMs: 50_000 },
    );
  });

  afterAll(async () => {
    client?.close();
    await stack?.stop();
    await projection?.close();
    await redis.cleanup();
  });

  it('shows an announced pledge to its donor live, then on its own channel and over REST', async () => {
    const pledge = aPledge().withDonor('DE').withItem('AMMO-155MM').withQuantity(4200).build();
    client = new LiveClient({ url: stack.gateway.url, token: TEST_TOKENS.donorDE });
    await client.subscribe(['overview', 'donor:DE']);
    await waitFor('the live client', () => client.state === 'live');
    // Other suites share the topics: the donor's total grows by at least this pledge.
    const pledgedOfDonor = () =>
      (client.values.get('donor:DE') as DonorValue | null | undefined)?.totals.pledged ?? 0;
    const before = pledgedOfDonor();

    await request(stack.gateway.url)
      .post('/v1/pledges')
      .set('Authorization', `Bearer ${TEST_TOKENS.donorDE}`)
      .send(pledge)
      .expect(201);
    const accepted = Date.now();
    await waitFor(
      'the donor channel to count the pledge',
      () => pledgedOfDonor() >= before + 4200,
      {
        timeoutMs: 20_000,
      },
    );
    const shownAfterMs = Date.now() - accepted;

    const channel = `pledge:${pledge.pledgeId}`;
    const reply = await client.subscribe([channel]);
    expect(reply).toMatchObject({
      ok: true,
      snapshot: { [channel]: { pledged: 4200, donor: 'DE' } },
    });
    const live = await request(stack.gateway.url)
      .get(`/v1/pledges/${pledge.pledgeId}/live`)
      .set('Authorization', `Bearer ${TEST_TOKENS.donorDE}`)
      .expect(200);
    expect(live.body).toMatchObject({ pledged: 4200, status: 'announced' });
    expect(shownAfterMs).toBeLessThan(20_000);
  });
});

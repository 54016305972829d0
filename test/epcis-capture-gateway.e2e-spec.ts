// EPCIS 2.0 capture through the one base URL: the gateway forwards `/epcis` to shipment-service
// (capture and job status alike), and a donor's and a recipient's documents become the
// tracker's shipment facts under their scopes, while shipment-service's view of the pledge
// catches up (the capture waits for it rather than failing); the projection then moves the
// pledge's figures.
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
import { AppModule as ProjectionModule } from '../apps/projection-service/src/app.module';
import { CaptureJob } from '../apps/shipment-service/src/epcis/epcis-capture.service';
import {
  anExampleShipment,
  epcisDocument,
  receivingEvent,
  shippingEvent,
} from '../apps/shipment-service/src/epcis/epcis.examples';
import { startWriteStack, WriteStack } from './write-stack';

const donorDE = `Bearer ${TEST_TOKENS.donorDE}`;
const recipientUA = `Bearer ${TEST_TOKENS.recipientUA}`;

describe('EPCIS capture through the gateway', () => {
  const redis = new TestRedis('epcis-e2e');
  const shared = {
    REDIS_KEY_PREFIX: redis.prefix,
    READ_MODEL_NAMESPACE: 'epcis-e2e',
    KAFKA_TOPIC_PREFIX: `${uniqueGroupPrefix('epcis-e2e')}.`,
  };
  let stack: WriteStack;
  let projection: TestService;

  beforeAll(async () => {
    stack = await startWriteStack('epcis_gw', shared);
    projection = await startTestService(
      'projection-service',
      (config) => ProjectionModule.forRoot(config),
      { ...shared, KAFKA_GROUP_PREFIX: uniqueGroupPrefix('epcis-e2e') },
    );
    await waitFor(
      'the projection to be ready',
      async () => (await fetch(`${projection.url}/health/ready`)).ok,
      { timeoutMs: 50_000 },
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await projection?.close();
    await redis.cleanup();
  });

  /** The pledge's live figures, once `ready` holds of them. */
  async function figures(pledgeId: string, ready: (live: Record<string, number>) => boolean) {
    return waitFor(
      `the figures of pledge ${pledgeId}`,
      async () => {
        const response = await request(stack.gateway.url)
          .get(`/v1/pledges/${pledgeId}/live`)
          .set('Authorization', donorDE);
        const live = response.body as Record<string, number>;
        return response.status === 200 && ready(live) ? live : undefined;
      },
      { timeoutMs: 20_000 },
    );
  }

  async function captured(token: string, document: object): Promise<CaptureJob> {
    const response = await request(stack.gateway.url)
      .post('/epcis/capture')
      .set('Authorization', token)
      .set('Content-Type', 'application/ld+json')
      .send(JSON.stringify(document))
      .expect(202);
    const location = response.headers.location;
    return waitFor(
      `capture ${location} to finish`,
      async () => {
        const job = (
          await request(stack.gateway.url).get(location).set('Authorization', token).expect(200)
        ).body as CaptureJob;
        return job.status === 'pending' ? undefined : job;
      },
      { timeoutMs: 20_000 },
    );
  }

  it("a donor's shipment from stock and the recipient's receipt, captured as EPCIS", async () => {
    const pledge = aPledge().withQuantity(500).build();
    await request(stack.gateway.url)
      .post('/v1/pledges')
      .set('Authorization', donorDE)
      .send(pledge)
      .expect(201);
    const s = anExampleShipment({ pledgeId: pledge.pledgeId, quantity: 300 });
    const shipping = {
      ...shippingEvent(s),
      quantityList: [{ epcClass: 'urn:tracker:item:AMMO-155MM', quantity: 300 }],
    };
    expect(await captured(donorDE, epcisDocument(shipping))).toMatchObject({
      status: 'succeeded',
    });
    const shipment = await request(stack.gateway.url)
      .get(`/v1/shipments/${s.sscc}`)
      .set('Authorization', donorDE)
      .expect(200);
    expect(shipment.body).toMatchObject({
      status: 'in-transit',
      quantity: 300,
      producer: null,
    });
    expect(await figures(pledge.pledgeId, (live) => live.shipped === 300)).toMatchObject({
      pledged: 500,
      shipped: 300,
      accepted: 0,
    });

    const receiving = {
      ...receivingEvent(s, 'conformant'),
      quantityList: [{ epcClass: 'urn:tracker:item:AMMO-155MM', quantity: 300 }],
    };
    expect(await captured(recipientUA, epcisDocument(receiving))).toMatchObject({
      status: 'succeeded',
    });
    const delivered = await request(stack.gateway.url)
      .get(`/v1/shipments/${s.sscc}`)
      .set('Authorization', recipientUA)
      .expect(200);
    expect(delivered.body).toMatchObject({
      status: 'delivered',
      delivery: { acceptedQuantity: 300, reportedBy: 'recipient:UA' },
    });
    expect(await figures(pledge.pledgeId, (live) => live.accepted === 300)).toMatchObject({
      shipped: 300,
      accepted: 300,
      outstanding: 200,
    });
  });
});

import {
  startTestService,
  TEST_TOKENS,
  TestDatabase,
  TestService,
  uniqueGroupPrefix,
} from '@tracker/testing';
import request from 'supertest';
import { AppModule as GatewayModule, prepareGateway } from '../apps/gateway/src/app.module';
import {
  AppModule as WebhookModule,
  prepareWebhookService,
} from '../apps/webhook-service/src/app.module';

describe('webhook subscriptions through the gateway', () => {
  let database: TestDatabase;
  let webhooks: TestService;
  let gateway: TestService;
  const donor = `Bearer ${TEST_TOKENS.donorDE}`;

  beforeAll(async () => {
    database = await TestDatabase.create('webhook_gateway');
    webhooks = await startTestService(
      'webhook-service',
      (config) => WebhookModule.forRoot(config),
      { DATABASE_SCHEMA: database.schema, KAFKA_GROUP_PREFIX: uniqueGroupPrefix('wh-gateway') },
      prepareWebhookService,
    );
    gateway = await startTestService(
      'gateway',
      (config) => GatewayModule.forRoot(config),
      // Nothing listens on port 9 (discard): the write services are "down" in this suite.
      {
        PLEDGE_SERVICE_URL: 'http://127.0.0.1:9',
        PRODUCTION_SERVICE_URL: 'http://127.0.0.1:9',
        SHIPMENT_SERVICE_URL: 'http://127.0.0.1:9',
        WEBHOOK_SERVICE_URL: webhooks.url,
      },
      prepareGateway,
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await webhooks?.close();
    await database?.drop();
  });

  it('forwards /v1/subscriptions to webhook-service: subscribe, read, list, delete', async () => {
    const created = await request(gateway.url)
      .post('/v1/subscriptions')
      .set('Authorization', donor)
      .send({ url: 'https://93.184.216.34/hooks', eventTypes: ['tracker.alert.raised.v1'] })
      .expect(201);
    const { id, secret } = created.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const read = await request(gateway.url)
      .get(`/v1/subscriptions/${id}`)
      .set('Authorization', donor)
      .expect(200);
    expect(read.body).toMatchObject({ id, owner: 'donor:DE', url: 'https://93.184.216.34/hooks' });
    expect(read.body).not.toHaveProperty('secret');
    await request(gateway.url)
      .get(`/v1/subscriptions/${id}/deliveries`)
      .set('Authorization', donor)
      .expect(200, { deliveries: [] });
    await request(gateway.url)
      .delete(`/v1/subscriptions/${id}`)
      .set('Authorization', donor)
      .expect(204);
  });

  it('passes the SSRF refusal through as problem+json naming the url', async () => {
    const refused = await request(gateway.url)
      .post('/v1/subscriptions')
      .set('Authorization', donor)
      .send({ url: 'https://169.254.169.254/latest', eventTypes: ['tracker.alert.raised.v1'] })
      .expect(422)
      .expect('Content-Type', /application\/problem\+json/);
    expect(JSON.stringify(refused.body)).toContain('link-local');
  });

  it('shows the subscription routes in the merged API document', async () => {
    const document = await request(gateway.url).get('/docs/openapi.json').expect(200);
    const paths = Object.keys((document.body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/v1/subscriptions', '/v1/subscriptions/{id}/deliveries']),
    );
  });
});

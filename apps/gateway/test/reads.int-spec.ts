import { dataSchemaUri, EVENT_TYPE_DEFINITIONS, schemaId } from '@tracker/contracts';
import { AlertsValue, AlertValue } from '@tracker/read-model';
import request from 'supertest';
import { ReadModelFixture, RunningGateway, startGateway, TOKENS } from './gateway-harness';

const alert = (alertId: string, entityType: AlertValue['entityType'], entityId: string) => ({
  alertId,
  kind: 'capacity-shortfall' as const,
  severity: 'critical' as const,
  entityType,
  entityId,
  message: 'short',
  raisedAt: '2026-01-01T00:00:00Z',
  details: {},
});

describe('REST reads of the read model', () => {
  let readModel: ReadModelFixture;
  let gateway: RunningGateway;

  const get = (path: string, token?: string) => {
    const call = request(gateway.url).get(path);
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };

  beforeAll(async () => {
    readModel = await ReadModelFixture.create('reads');
    await readModel.pledge('de-1', { donor: 'DE', itemCode: 'AMMO-155MM', pledged: 100 });
    await readModel.pledge('fr-1', {
      donor: 'FR',
      recipient: 'PL',
      itemCode: 'MBT',
      pledged: 14,
      accepted: 14,
    });
    await readModel.alert('a-de', alert('a-de', 'donor', 'DE'));
    await readModel.alert('a-fr', alert('a-fr', 'donor', 'FR'));
    gateway = await startGateway(readModel);
  });

  afterAll(async () => {
    await gateway.close();
    await readModel.cleanup();
  });

  it('answers the overview of an empty tracker with 200 and zeros, not 404', async () => {
    const empty = await ReadModelFixture.create('reads-empty');
    const bare = await startGateway(empty);
    try {
      const response = await request(bare.url)
        .get('/v1/overview')
        .set('Authorization', `Bearer ${TOKENS.ops}`)
        .expect(200);
      expect(response.body).toMatchObject({
        kind: 'overview',
        pledges: 0,
        totals: { pledged: 0, accepted: 0, outstanding: 0 },
        pledgeCounts: { announced: 0, overdue: 0 },
      });
    } finally {
      await bare.close();
      await empty.cleanup();
    }
  });

  it.each([
    ['GET /v1/overview', '/v1/overview'],
    ['GET /v1/donors/:country', '/v1/donors/DE'],
    ['GET /v1/items/:code', '/v1/items/MBT'],
    ['GET /v1/pledges/:id/live', '/v1/pledges/de-1/live'],
    ['GET /v1/alerts', '/v1/alerts'],
  ])('%s answers what a snapshot holds', async (_label, path) => {
    const channel = {
      '/v1/overview': 'overview',
      '/v1/donors/DE': 'donor:DE',
      '/v1/items/MBT': 'item:MBT',
      '/v1/pledges/de-1/live': 'pledge:de-1',
      '/v1/alerts': 'alerts',
    }[path]!;
    const response = await get(path, TOKENS.ops).expect(200);
    const { values } = await readModel.snapshot([channel]);
    expect(response.body).toEqual(values[channel]);
  });

  it.each([
    ['no token', undefined, 'An Authorization: Bearer <token> header is required'],
    ['an unknown token', 'guess', 'The bearer token is not valid'],
  ])('answers 401 problem+json to %s', async (_label, token, detail) => {
    const response = await get('/v1/overview', token).expect(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 401, code: 'unauthenticated', detail });
  });

  it.each([
    [TOKENS.germany, '/v1/donors/FR'],
    [TOKENS.germany, '/v1/pledges/fr-1/live'],
    [TOKENS.germany, '/v1/overview'],
    [TOKENS.germany, '/v1/items/MBT'],
    [TOKENS.producer, '/v1/donors/DE'],
    [TOKENS.producer, '/v1/pledges/de-1/live'],
    [TOKENS.ukraine, '/v1/pledges/fr-1/live'],
  ])('answers token %s only the public part of %s', async (token, path) => {
    const response = await get(path, token).expect(200);
    const body = response.body as Record<string, unknown> & { totals?: object };
    expect(body.view).toBe('public');
    for (const field of ['allocated', 'shipped', 'received', 'rejected', 'lost', 'forecast']) {
      expect(body).not.toHaveProperty(field);
      expect(body.totals ?? {}).not.toHaveProperty(field);
    }
  });

  it.each([
    [TOKENS.germany, '/v1/pledges/no-such-pledge/live'],
    [TOKENS.producer, '/v1/donors/PL'],
  ])('answers token %s 404 for %s, which has no data, as it does admin', async (token, path) => {
    const response = await get(path, token).expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it.each([
    ['/v1/donors/germany', 'donor-not-found'],
    ['/v1/donors/PL', 'donor-not-found'],
    ['/v1/items/not an item', 'item-not-found'],
    ['/v1/pledges/no-such-pledge/live', 'pledge-not-found'],
  ])('answers 404 problem+json to %s', async (path, code) => {
    const response = await get(path, TOKENS.admin).expect(404);
    expect(response.body).toMatchObject({ status: 404, code });
  });

  it('gives a donor its own donor channel and pledges whole', async () => {
    const donor = await get('/v1/donors/DE', TOKENS.germany).expect(200);
    expect(donor.body).not.toHaveProperty('view');
    expect(donor.body).toHaveProperty('totals.shipped');
    const pledge = await get('/v1/pledges/de-1/live', TOKENS.germany).expect(200);
    expect(pledge.body).toHaveProperty('shipped');
  });

  it('shows a donor only the alerts that concern it, and a producer none of theirs', async () => {
    const donor = await get('/v1/alerts', TOKENS.germany).expect(200);
    expect((donor.body as AlertsValue).open.map((open) => open.alertId)).toEqual(['a-de']);
    const producer = await get('/v1/alerts', TOKENS.producer).expect(200);
    expect((producer.body as AlertsValue).open).toEqual([]);
  });

  it('documents every read in the gateway’s OpenAPI document', async () => {
    const response = await request(gateway.url).get('/docs/gateway.json').expect(200);
    const paths = (response.body as { paths: Record<string, unknown> }).paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/overview',
        '/v1/donors/{country}',
        '/v1/items/{code}',
        '/v1/pledges/{id}/live',
        '/v1/pledges/{id}/history',
        '/v1/alerts',
      ]),
    );
  });
});

describe('event documentation', () => {
  let readModel: ReadModelFixture;
  let gateway: RunningGateway;

  beforeAll(async () => {
    readModel = await ReadModelFixture.create('docs');
    gateway = await startGateway(readModel);
  });

  afterAll(async () => {
    await gateway.close();
    await readModel.cleanup();
  });

  it('serves the AsyncAPI document without a token, as JSON and YAML', async () => {
    const json = await request(gateway.url).get('/asyncapi').expect(200);
    expect(json.body).toMatchObject({
      asyncapi: '3.1.0',
      channels: { live: { address: '/live' } },
    });
    const yaml = await request(gateway.url).get('/asyncapi.yaml').expect(200);
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
    expect(yaml.text).toContain('asyncapi: 3.1.0');
  });

  it('resolves every event type’s dataschema under /schemas/', async () => {
    for (const definition of EVENT_TYPE_DEFINITIONS) {
      const path = new URL(dataSchemaUri(definition.type)).pathname;
      const response = await request(gateway.url).get(path).expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/schema\+json/);
      expect(JSON.parse(response.text)).toMatchObject({ $id: schemaId(definition.type) });
    }
    await request(gateway.url).get('/schemas/envelope.json').expect(200);
    await request(gateway.url).get('/schemas/nope.json').expect(404);
  });
});

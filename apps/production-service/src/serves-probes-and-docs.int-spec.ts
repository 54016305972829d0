import { waitFor } from '@tracker/testing';
import request from 'supertest';
import { ProductionHarness } from './testing/production-harness';

describe('production-service probes and documents', () => {
  let harness: ProductionHarness;

  beforeAll(async () => {
    harness = await ProductionHarness.start('docs');
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('answers its probes without a token, ready once Postgres answers and its consumers joined', async () => {
    await request(harness.service.url).get('/health/live').expect(200);
    const ready = await waitFor('production-service to be ready', async () => {
      const answer = await request(harness.service.url).get('/health/ready');
      return answer.status === 200 && answer;
    });
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });
  });

  it('documents every route at /docs/json, request bodies from the contracts', async () => {
    const response = await request(harness.service.url).get('/docs/json').expect(200);
    const document = response.body as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(
      Object.keys(document.paths)
        .filter((path) => path.startsWith('/v1/'))
        .sort(),
    ).toEqual([
      '/v1/allocations',
      '/v1/allocations/{id}',
      '/v1/capacity',
      '/v1/capacity/{id}',
      '/v1/lots',
      '/v1/lots/{id}',
      '/v1/lots/{id}/qa',
      '/v1/pledges-view/{id}',
      '/v1/stockpiles',
      '/v1/stockpiles/{nation}/{itemCode}',
    ]);
    expect(document.paths['/v1/allocations'].post.requestBody).toMatchObject({
      content: {
        'application/json': {
          schema: { properties: { lotId: {}, pledgeId: {}, quantity: {} } },
        },
      },
    });
  });
});

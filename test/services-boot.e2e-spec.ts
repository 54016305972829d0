import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { loadConfig, ServiceName } from '@tracker/config';
import { createService, RootModuleFactory } from '@tracker/platform';
import { TestDatabase, TestRedis, uniqueGroupPrefix, waitFor } from '@tracker/testing';
import request from 'supertest';
import { App } from 'supertest/types';
import { AppModule as GatewayModule } from '../apps/gateway/src/app.module';
import { AppModule as PledgeModule } from '../apps/pledge-service/src/app.module';
import { AppModule as ProductionModule } from '../apps/production-service/src/app.module';
import { AppModule as ProjectionModule } from '../apps/projection-service/src/app.module';
import { AppModule as ShipmentModule } from '../apps/shipment-service/src/app.module';
import { AppModule as WebhookModule } from '../apps/webhook-service/src/app.module';

const services: [ServiceName, RootModuleFactory, string][] = [
  ['pledge-service', (config) => PledgeModule.forRoot(config), 'postgres'],
  ['production-service', (config) => ProductionModule.forRoot(config), 'postgres'],
  ['shipment-service', (config) => ShipmentModule.forRoot(config), 'postgres'],
  ['projection-service', (config) => ProjectionModule.forRoot(config), 'redis'],
  ['webhook-service', (config) => WebhookModule.forRoot(config), 'postgres'],
  ['gateway', (config) => GatewayModule.forRoot(config), 'redis'],
];

describe('every service boots and answers its probes', () => {
  describe.each(services)('%s', (service, factory, dependency) => {
    let app: INestApplication;
    let database: TestDatabase;
    const redis = new TestRedis(service);

    beforeAll(async () => {
      database = await TestDatabase.create(service);
      const group = uniqueGroupPrefix('boot');
      const config = loadConfig(service, {
        ...process.env,
        PORT: '0',
        LOG_LEVEL: 'silent',
        DATABASE_SCHEMA: database.schema,
        REDIS_KEY_PREFIX: redis.prefix,
        KAFKA_GROUP_PREFIX: group,
      });
      app = await createService(factory, config);
      await app.listen(0, '127.0.0.1');
    });

    afterAll(async () => {
      await app?.close();
      await redis.cleanup();
      await database?.drop();
    });

    it('answers /health/live', async () => {
      const response = await request(app.getHttpServer() as App)
        .get('/health/live')
        .expect(200);
      expect(response.body).toMatchObject({ status: 'ok' });
    });

    it('serves Prometheus metrics with the process defaults, without a token', async () => {
      const response = await request(app.getHttpServer() as App)
        .get('/metrics')
        .expect(200);
      expect(response.text).toMatch(/^process_resident_memory_bytes(\{[^}]*\})? \d+/m);
      expect(response.text).toMatch(/^nodejs_eventloop_lag_p99_seconds(\{[^}]*\})? /m);
    });

    it(`becomes ready once ${dependency} answers`, async () => {
      // A service with Kafka consumers is ready only once they joined their groups.
      const response = await waitFor(
        `${service} to be ready`,
        async () => {
          const answer = await request(app.getHttpServer() as App).get('/health/ready');
          return answer.status === 200 && answer;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      expect(response.body).toMatchObject({
        status: 'ok',
        info: { [dependency]: { status: 'up' } },
      });
    });
  });
});

describe('a service with a bad configuration', () => {
  it('refuses to start with one line naming the variable and the rule', async () => {
    const main = join(__dirname, '..', 'apps', 'gateway', 'src', 'main.ts');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', main], {
      env: { ...process.env, PORT: 'http', TRACKER_DEMO: 'sometimes' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'gateway: invalid configuration: PORT: must be an integer between 0 and 65535; TRACKER_DEMO: must be "on" or "off"',
    ]);
  });
});

import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { loadConfig, ServiceName } from '@tracker/config';
import { createService, PrepareApp, RootModuleFactory } from '@tracker/platform';

/** Tokens every test service accepts: one per role of DESIGN.md §4. */
export const TEST_TOKENS = {
  admin: 'test-admin-token-0001',
  ops: 'test-ops-token-000001',
  donorDE: 'test-donor-de-token-01',
  donorPL: 'test-donor-pl-token-01',
  producerRheinmetall: 'test-rheinmetall-token',
  producerNammo: 'test-nammo-token-00001',
  recipientUA: 'test-recipient-ua-token',
} as const;

export const TEST_AUTH_TOKENS = [
  `${TEST_TOKENS.admin}=admin`,
  `${TEST_TOKENS.ops}=ops`,
  `${TEST_TOKENS.donorDE}=donor:DE`,
  `${TEST_TOKENS.donorPL}=donor:PL`,
  `${TEST_TOKENS.producerRheinmetall}=producer:rheinmetall`,
  `${TEST_TOKENS.producerNammo}=producer:nammo`,
  `${TEST_TOKENS.recipientUA}=recipient:UA`,
].join(',');

/** A service started in this process on a port of its own. */
export interface TestService {
  readonly app: INestApplication;
  readonly url: string;
  close(): Promise<void>;
}

/** A Kafka consumer-group prefix of its own, so a suite's services never share groups. */
export function uniqueGroupPrefix(label: string): string {
  return `t-${label}-${randomBytes(4).toString('hex')}`;
}

/**
 * Starts a service as `main.ts` would, in this process, on 127.0.0.1 and an OS-chosen port, with
 * the environment of the test run (Postgres, Redis, the broker) plus `env`.
 */
export async function startTestService(
  service: ServiceName,
  factory: RootModuleFactory,
  env: Record<string, string>,
  prepare?: PrepareApp,
): Promise<TestService> {
  const config = loadConfig(service, {
    ...process.env,
    LOG_LEVEL: 'silent',
    AUTH_TOKENS: TEST_AUTH_TOKENS,
    ...env,
    PORT: '0',
  });
  const app = await createService(factory, config, prepare);
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as import('node:net').Server;
  const address = server.address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

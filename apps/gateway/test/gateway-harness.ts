import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@tracker/config';
import { REDIS } from '@tracker/redis';
import { waitFor } from '@tracker/testing';
import type Redis from 'ioredis';
import { LiveClient, LiveClientOptions } from '../dashboard/live-client';
import { AppModule, prepareGateway } from '../src/app.module';
import { FIXTURE_NAMESPACE, ReadModelFixture } from './read-model-fixture';

/** Tokens every gateway under test accepts. */
export const TOKENS = {
  admin: 'admin-token-0000001',
  ops: 'ops-token-000000001',
  germany: 'de-token-0000000001',
  france: 'fr-token-0000000001',
  producer: 'rhm-token-000000001',
  nammo: 'nammo-token-0000001',
  ukraine: 'ua-token-0000000001',
} as const;

const AUTH_TOKENS = [
  `${TOKENS.admin}=admin`,
  `${TOKENS.ops}=ops`,
  `${TOKENS.germany}=donor:DE`,
  `${TOKENS.france}=donor:FR`,
  `${TOKENS.producer}=producer:rheinmetall`,
  `${TOKENS.nammo}=producer:nammo`,
  `${TOKENS.ukraine}=recipient:UA`,
].join(',');

export interface RunningGateway {
  readonly app: INestApplication;
  readonly url: string;
  close(): Promise<void>;
}

/** A provider a gateway under test gets in place of its own: a clock the test drives. */
export interface ProviderOverride {
  readonly provide: string | symbol;
  readonly useValue: unknown;
}

/**
 * A whole gateway (the real AppModule) on an OS-chosen port (or `port`, to restart one where
 * its clients expect it), its shared Redis client in the
 * fixture's key space. Several may share one read model, as instances behind a load balancer do.
 */
export async function startGateway(
  readModel: { client(): Redis },
  env: Record<string, string> = {},
  port = 0,
  overrides: readonly ProviderOverride[] = [],
): Promise<RunningGateway> {
  const config = loadConfig('gateway', {
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'silent',
    AUTH_TOKENS,
    READ_MODEL_NAMESPACE: FIXTURE_NAMESPACE,
    ...env,
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(REDIS)
    .useValue(readModel.client());
  for (const { provide, useValue } of overrides) {
    builder = builder.overrideProvider(provide).useValue(useValue);
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: false, bodyParser: false });
  await prepareGateway(app, config);
  await app.listen(port, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, close: () => app.close() };
}

/** {@link LiveClient}s over WebSocket that the suite closes in `afterEach`. */
export class Clients {
  private readonly open: LiveClient[] = [];

  connect(url: string, token: string, resume?: LiveClientOptions['resume']): LiveClient {
    const client = new LiveClient({ url, token, transports: ['websocket'], resume });
    this.open.push(client);
    return client;
  }

  /** Connected and subscribed: resolves once the first snapshot is in. */
  async live(url: string, token: string, channels: string[]): Promise<LiveClient> {
    const client = this.connect(url, token);
    await client.subscribe(channels);
    // Generous: the scale suite brings a hundred clients up at once on a busy two-core machine.
    await waitFor(`client live on ${channels.join(', ')}`, () => client.state === 'live', {
      timeoutMs: 30_000,
    });
    return client;
  }

  closeAll(): void {
    for (const client of this.open.splice(0)) client.close();
  }
}

/**
 * Waits until `client` holds exactly what the read model holds for `channels`, at a cursor that
 * is a gap-free resume point of that state: resuming from it replays nothing that would change it.
 */
export async function holdsServerState(
  client: LiveClient,
  readModel: ReadModelFixture,
  channels: readonly string[],
): Promise<void> {
  const pick = (values: ReadonlyMap<string, unknown>) =>
    JSON.stringify(channels.map((channel) => values.get(channel) ?? null));
  await waitFor('the client to hold the server state at a resumable cursor', async () => {
    const { values } = await readModel.snapshot(channels);
    const server = pick(new Map(Object.entries(values)));
    if (client.cursor === undefined || pick(client.values) !== server) return false;
    const resumed = await readModel.reader.resume(channels, client.cursor, 1_000_000);
    if (resumed.kind !== 'replay') return false;
    const after = new Map(client.values);
    for (const update of resumed.updates) after.set(update.channel, update.value);
    return pick(after) === server;
  });
}

export { ReadModelFixture };

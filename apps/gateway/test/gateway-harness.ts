import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@tracker/config';
import { REDIS } from '@tracker/redis';
import { waitFor } from '@tracker/testing';
import { LiveClient, LiveClientOptions } from '../dashboard/live-client';
import { AppModule, prepareGateway } from '../src/app.module';
import { ReadModelFixture } from './read-model-fixture';

/** Tokens every gateway under test accepts. */
export const TOKENS = {
  admin: 'admin-token',
  ops: 'ops-token',
  germany: 'de-token',
  france: 'fr-token',
  producer: 'rhm-token',
} as const;

const AUTH_TOKENS = [
  `${TOKENS.admin}=admin`,
  `${TOKENS.ops}=ops`,
  `${TOKENS.germany}=donor:DE`,
  `${TOKENS.france}=donor:FR`,
  `${TOKENS.producer}=producer:rheinmetall`,
].join(',');

export interface RunningGateway {
  readonly app: INestApplication;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A whole gateway (the real AppModule) on an OS-chosen port, its shared Redis client in the
 * fixture's key space. Several may share one read model, as instances behind a load balancer do.
 */
export async function startGateway(
  readModel: ReadModelFixture,
  env: Record<string, string> = {},
): Promise<RunningGateway> {
  const config = loadConfig('gateway', {
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'silent',
    AUTH_TOKENS,
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(REDIS)
    .useValue(readModel.client())
    .compile();
  const app = moduleRef.createNestApplication({ logger: false, bodyParser: false });
  await prepareGateway(app, config);
  await app.listen(0, '127.0.0.1');
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
    await waitFor(`client live on ${channels.join(', ')}`, () => client.state === 'live');
    return client;
  }

  closeAll(): void {
    for (const client of this.open.splice(0)) client.close();
  }
}

/** Waits until `client` holds exactly what the read model holds for `channels`. */
export async function holdsServerState(
  client: LiveClient,
  readModel: ReadModelFixture,
  channels: readonly string[],
): Promise<void> {
  await waitFor('the client to hold the server state', async () => {
    const { values, cursor } = await readModel.snapshot(channels);
    const held = Object.fromEntries(
      channels.map((channel) => [channel, client.values.get(channel)]),
    );
    return client.cursor === cursor && JSON.stringify(held) === JSON.stringify(values);
  });
}

export { ReadModelFixture };

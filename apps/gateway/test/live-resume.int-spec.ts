import { waitFor } from '@tracker/testing';
import { LiveClient } from '../dashboard/live-client';
import { io, Socket } from 'socket.io-client';
import { ClientToServerEvents, ServerToClientEvents } from '../src/live/live.events';
import {
  Clients,
  InMemoryReadModel,
  RunningGateway,
  startGateway,
  TOKENS,
} from './gateway-harness';

const CHANNELS = ['overview', 'item:AMMO-155MM', 'item:MBT', 'donor:DE', 'feed'];

/** Publishes `count` changes, yielding to the event loop between them as a projection would. */
async function publishMany(
  readModel: InMemoryReadModel,
  count: number,
  onEach?: (n: number) => void,
) {
  for (let n = 1; n <= count; n += 1) {
    const channel = CHANNELS[n % CHANNELS.length];
    readModel.publish({ [channel]: { version: n }, feed: { latest: n } });
    onEach?.(n);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function serverState(readModel: InMemoryReadModel) {
  return Object.fromEntries(CHANNELS.map((channel) => [channel, readModel.current(channel)]));
}

function clientState(client: LiveClient) {
  return Object.fromEntries(CHANNELS.map((channel) => [channel, client.values.get(channel)]));
}

async function caughtUp(client: LiveClient, readModel: InMemoryReadModel) {
  await waitFor('the client to hold the server state', () => client.cursor === readModel.cursor);
  expect(clientState(client)).toEqual(serverState(readModel));
}

describe('resuming /live after a dropped connection', () => {
  const clients = new Clients();
  const gateways: RunningGateway[] = [];
  let readModel: InMemoryReadModel;

  async function gateway(env: Record<string, string> = {}) {
    const started = await startGateway(readModel, env);
    gateways.push(started);
    return started;
  }

  beforeEach(() => {
    readModel = new InMemoryReadModel(1000);
    readModel.publish(Object.fromEntries(CHANNELS.map((channel) => [channel, { version: 0 }])));
  });

  afterEach(async () => {
    clients.closeAll();
    await Promise.all(gateways.splice(0).map((started) => started.close()));
  });

  it('on the same gateway, replays every missed update and ends with the server state', async () => {
    const { url } = await gateway();
    const client = await clients.live(url, TOKENS.admin, CHANNELS);
    await publishMany(readModel, 300, (n) => {
      if (n === 100) client.dropConnection();
    });
    await caughtUp(client, readModel);
    expect(client.resumes).toEqual({ replayed: 1, reset: 0 });
  });

  it('on another gateway, from the cursor the first one gave, ends with the server state', async () => {
    const first = await gateway();
    const second = await gateway();
    const client = await clients.live(first.url, TOKENS.admin, CHANNELS);
    let moved: LiveClient | undefined;
    await publishMany(readModel, 300, (n) => {
      if (n !== 100) return;
      client.close();
      moved = clients.connect(second.url, TOKENS.admin, {
        cursor: client.cursor!,
        values: client.values,
      });
    });
    await caughtUp(moved!, readModel);
    expect(moved!.resumes).toEqual({ replayed: 1, reset: 0 });
  });

  it('across a rebuild (new epoch) gets a fresh snapshot with reset: true', async () => {
    const { url } = await gateway();
    const client = await clients.live(url, TOKENS.admin, CHANNELS);
    const cursor = client.cursor!;
    client.close();
    readModel.startNewEpoch();
    readModel.publish({ overview: { version: 'rebuilt' } });
    const resumed = clients.connect(url, TOKENS.admin, { cursor, values: client.values });
    await caughtUp(resumed, readModel);
    expect(resumed.resumes).toEqual({ replayed: 0, reset: 1 });
  });

  it.each([
    ['expired', 'history older than retained', {}],
    ['cap', 'more missed updates than LIVE_REPLAY_CAP', { LIVE_REPLAY_CAP: '20' }],
    ['malformed', 'a cursor that is not one', {}],
  ])('answers reset: true, reason %s, for %s', async (reason, _label, env) => {
    readModel = new InMemoryReadModel(reason === 'expired' ? 10 : 1000);
    const { url } = await gateway(env);
    const client = await clients.live(url, TOKENS.admin, CHANNELS);
    const since = reason === 'malformed' ? 'not-a-cursor' : client.cursor!;
    client.close();
    await publishMany(readModel, 50);
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${url}/live`, {
      auth: { token: TOKENS.admin },
      transports: ['websocket'],
      reconnection: false,
    });
    const reply = await socket.emitWithAck('subscribe', { channels: CHANNELS, since });
    socket.disconnect();
    expect(reply).toMatchObject({ ok: true, reset: true, reason, cursor: readModel.cursor });
    expect(reply.ok && reply.snapshot).toEqual(serverState(readModel));
  });

  it('while connected through a rebuild, receives a reset event and ends with the server state', async () => {
    const { url } = await gateway();
    const client = await clients.live(url, TOKENS.admin, CHANNELS);
    readModel.startNewEpoch();
    readModel.publish({ 'item:MBT': { version: 'after rebuild' } });
    await caughtUp(client, readModel);
  });
});

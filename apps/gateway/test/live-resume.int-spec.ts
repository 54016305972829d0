import { io, Socket } from 'socket.io-client';
import { LiveClient } from '../dashboard/live-client';
import { ClientToServerEvents, ServerToClientEvents } from '../src/live/live.events';
import {
  Clients,
  holdsServerState,
  ReadModelFixture,
  RunningGateway,
  startGateway,
  TOKENS,
} from './gateway-harness';

const ITEMS = ['AMMO-155MM', 'MBT', 'IFV'];
const DONORS = ['DE', 'FR'];
const CHANNELS = [
  'overview',
  ...ITEMS.map((item) => `item:${item}`),
  ...DONORS.map((donor) => `donor:${donor}`),
  'pledge:p-0',
  'pledge:p-1',
];

let written = 0;

/** Writes `count` pledge changes one after another, as the projection applies events. */
async function writeMany(readModel: ReadModelFixture, count: number, onEach?: (n: number) => void) {
  for (let n = 1; n <= count; n += 1) {
    written += 1;
    const pledge = n % 4;
    await readModel.pledge(`p-${pledge}`, {
      donor: DONORS[pledge % DONORS.length],
      itemCode: ITEMS[pledge % ITEMS.length],
      pledged: 1000 + written,
      accepted: written,
    });
    onEach?.(n);
  }
}

describe('resuming /live after a dropped connection', () => {
  const clients = new Clients();
  const gateways: RunningGateway[] = [];
  let readModel: ReadModelFixture;

  async function gateway(env: Record<string, string> = {}) {
    const started = await startGateway(readModel, env);
    gateways.push(started);
    return started;
  }

  async function subscribeRaw(url: string, since: string) {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${url}/live`, {
      auth: { token: TOKENS.admin },
      transports: ['websocket'],
      reconnection: false,
    });
    try {
      return await socket.emitWithAck('subscribe', { channels: CHANNELS, since });
    } finally {
      socket.disconnect();
    }
  }

  async function start(options: { streamMaxLength?: number } = {}) {
    readModel = await ReadModelFixture.create('live-resume', options);
    await writeMany(readModel, 4);
  }

  afterEach(async () => {
    clients.closeAll();
    await Promise.all(gateways.splice(0).map((started) => started.close()));
    await readModel.cleanup();
  });

  it('on the same gateway, replays every missed update and ends with the server state', async () => {
    await start();
    const { url } = await gateway();
    const client = await clients.live(url, TOKENS.admin, CHANNELS);
    await writeMany(readModel, 200, (n) => {
      if (n === 50) client.dropConnection();
    });
    await holdsServerState(client, readModel, CHANNELS);
    expect(client.resumes).toEqual({ replayed: 1, reset: 0 });
  });

  it('on another gateway, from the cursor the first gave, ends with the server state', async () => {
    await start();
    const first = await gateway();
    const second = await gateway();
    const client = await clients.live(first.url, TOKENS.admin, CHANNELS);
    let moved: LiveClient | undefined;
    await writeMany(readModel, 200, (n) => {
      if (n !== 50) return;
      client.close();
      moved = clients.connect(second.url, TOKENS.admin, {
        cursor: client.cursor!,
        values: client.values,
      });
    });
    await holdsServerState(moved!, readModel, CHANNELS);
    expect(moved!.resumes).toEqual({ replayed: 1, reset: 0 });
  });

  it('across a rebuild (new epoch) gets a fresh snapshot with reset: true', async () => {
    await start();
    const { url } = await gateway();
    const client = await clients.live(url, TOKENS.admin, CHANNELS);
    client.close();
    await readModel.rebuild();
    await writeMany(readModel, 3);
    const resumed = clients.connect(url, TOKENS.admin, {
      cursor: client.cursor!,
      values: client.values,
    });
    await holdsServerState(resumed, readModel, CHANNELS);
    expect(resumed.resumes).toEqual({ replayed: 0, reset: 1 });
  });

  it.each([
    ['expired', 'history older than the stream retains', {}, { streamMaxLength: 10 }],
    ['cap', 'more missed updates than LIVE_REPLAY_CAP', { LIVE_REPLAY_CAP: '20' }, {}],
    ['malformed', 'a cursor that is not one', {}, {}],
  ])('answers reset: true, reason %s, for %s', async (reason, _label, env, options) => {
    await start(options);
    const { url } = await gateway(env);
    const { cursor } = await readModel.snapshot([]);
    await writeMany(readModel, 100);
    const reply = await subscribeRaw(url, reason === 'malformed' ? 'not-a-cursor' : cursor);
    const now = await readModel.snapshot(CHANNELS);
    expect(reply).toEqual({
      ok: true,
      reset: true,
      reason,
      cursor: now.cursor,
      snapshot: now.values,
    });
  });

  it('while connected through a rebuild, receives a reset event and ends with the server state', async () => {
    await start();
    const { url } = await gateway();
    const client = await clients.live(url, TOKENS.admin, CHANNELS);
    await readModel.rebuild();
    await writeMany(readModel, 3);
    await holdsServerState(client, readModel, CHANNELS);
    // Without reconnecting: the new epoch reached it as a reset event.
    expect(client.resumes).toEqual({ replayed: 0, reset: 0 });
  });
});

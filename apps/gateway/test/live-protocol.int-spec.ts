import { waitFor } from '@tracker/testing';
import { io, Socket } from 'socket.io-client';
import { ClientToServerEvents, LiveUpdate, ServerToClientEvents } from '../src/live/live.events';
import {
  Clients,
  InMemoryReadModel,
  RunningGateway,
  startGateway,
  TOKENS,
} from './gateway-harness';

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('the /live protocol', () => {
  const readModel = new InMemoryReadModel();
  const clients = new Clients();
  const sockets: RawSocket[] = [];
  let gateway: RunningGateway;

  async function rawSocket(token: string = TOKENS.admin): Promise<RawSocket> {
    const socket: RawSocket = io(`${gateway.url}/live`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }

  beforeAll(async () => {
    readModel.publish({ overview: { pledged: 100 }, 'item:AMMO-155MM': { pledged: 100 } });
    gateway = await startGateway(readModel);
  });

  afterEach(() => {
    clients.closeAll();
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('acknowledges a subscribe with every channel’s value and the cursor they hold at', async () => {
    const socket = await rawSocket();
    const reply = await socket.emitWithAck('subscribe', {
      channels: ['overview', 'item:AMMO-155MM', 'donor:PL'],
    });
    expect(reply).toEqual({
      ok: true,
      snapshot: {
        overview: { pledged: 100 },
        'item:AMMO-155MM': { pledged: 100 },
        'donor:PL': null,
      },
      cursor: readModel.cursor,
    });
  });

  it('sends each change as an update, in stream order, with the event that caused it', async () => {
    const socket = await rawSocket();
    const received: LiveUpdate[] = [];
    socket.on('update', (update) => received.push(update));
    await socket.emitWithAck('subscribe', { channels: ['overview'] });
    for (const pledged of [101, 102, 103]) {
      readModel.publish({ overview: { pledged } }, { id: `event-${pledged}` });
    }
    // Changes that arrive within one round merge: the last value is the one that must arrive.
    await waitFor('the last update', () => received.at(-1)?.cause.id === 'event-103');
    const latest = received.at(-1)!;
    expect(latest).toMatchObject({
      channel: 'overview',
      cursor: readModel.cursor,
      value: { pledged: 103 },
      cause: { id: 'event-103', type: 'tracker.test.changed.v1' },
    });
    const values = received.map((update) => (update.value as { pledged: number }).pledged);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });

  it('stops sending a channel after unsubscribe', async () => {
    const socket = await rawSocket();
    const received: LiveUpdate[] = [];
    socket.on('update', (update) => received.push(update));
    await socket.emitWithAck('subscribe', { channels: ['overview', 'feed'] });
    const reply = await socket.emitWithAck('unsubscribe', { channels: ['overview'] });
    expect(reply).toEqual({ ok: true, channels: ['feed'] });
    readModel.publish({ overview: { pledged: 200 } });
    readModel.publish({ feed: { events: ['x'] } });
    await waitFor('the feed update', () => received.some((update) => update.channel === 'feed'));
    expect(received.map((update) => update.channel)).toEqual(['feed']);
  });

  it.each([
    ['no object', 'overview'],
    ['no channels', {}],
    ['channels not a list', { channels: 'overview' }],
    ['an empty list', { channels: [] }],
    ['a channel that is not a string', { channels: [42] }],
    ['a cursor that is not a string', { channels: ['overview'], since: 7 }],
    ['too many channels', { channels: Array.from({ length: 101 }, (_, i) => `item:X${i}`) }],
  ])(
    'answers a subscribe with %s by an error ack and keeps the socket',
    async (_label, payload) => {
      const socket = await rawSocket();
      const reply = await socket.emitWithAck('subscribe', payload as never);
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
      expect(socket.connected).toBe(true);
      await expect(
        socket.emitWithAck('subscribe', { channels: ['overview'] }),
      ).resolves.toMatchObject({ ok: true });
    },
  );

  it('names the channel it does not know', async () => {
    const socket = await rawSocket();
    const reply = await socket.emitWithAck('subscribe', {
      channels: ['overview', 'donor:germany'],
    });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel', channel: 'donor:germany' },
    });
  });

  it('keeps a LiveClient’s values equal to the read model’s', async () => {
    const client = await clients.live(gateway.url, TOKENS.ops, ['overview', 'item:AMMO-155MM']);
    readModel.publish({ 'item:AMMO-155MM': { pledged: 150 }, overview: { pledged: 250 } });
    await waitFor('the client to catch up', () => client.cursor === readModel.cursor);
    expect(client.values.get('overview')).toEqual(readModel.current('overview'));
    expect(client.values.get('item:AMMO-155MM')).toEqual(readModel.current('item:AMMO-155MM'));
  });
});

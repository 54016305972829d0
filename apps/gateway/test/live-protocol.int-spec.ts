import { OverviewValue } from '@tracker/read-model';
import { waitFor } from '@tracker/testing';
import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import { ClientToServerEvents, LiveUpdate, ServerToClientEvents } from '../src/live/live.events';
import {
  Clients,
  holdsServerState,
  ReadModelFixture,
  RunningGateway,
  startGateway,
  TOKENS,
} from './gateway-harness';

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const pledged = (update: LiveUpdate | undefined) =>
  (update?.value as OverviewValue | undefined)?.totals.pledged;

describe('the /live protocol', () => {
  const clients = new Clients();
  const sockets: RawSocket[] = [];
  let readModel: ReadModelFixture;
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
    readModel = await ReadModelFixture.create('live-protocol');
    await readModel.pledge('p-1', { pledged: 100 });
    gateway = await startGateway(readModel);
  });

  afterEach(() => {
    clients.closeAll();
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    await gateway.close();
    await readModel.cleanup();
  });

  it('acknowledges a subscribe with every channel’s value and the cursor they hold at', async () => {
    const socket = await rawSocket();
    const channels = ['overview', 'item:AMMO-155MM', 'pledge:p-1', 'donor:PL'];
    const reply = await socket.emitWithAck('subscribe', { channels });
    const { values, cursor } = await readModel.snapshot(channels);
    expect(reply).toEqual({ ok: true, snapshot: values, cursor });
    expect(values['donor:PL']).toBeNull();
    expect((values.overview as OverviewValue).totals.pledged).toBe(100);
  });

  it('sends each change as an update, in stream order, with the event that caused it', async () => {
    const socket = await rawSocket();
    const received: LiveUpdate[] = [];
    socket.on('update', (update) => received.push(update));
    await socket.emitWithAck('subscribe', { channels: ['overview'] });
    for (const quantity of [101, 102, 103]) {
      await readModel.pledge('p-1', { pledged: quantity }, `event-${quantity}`);
    }
    // Changes that arrive within one round merge: the last value is the one that must arrive.
    await waitFor('the last update', () => received.at(-1)?.cause.id === 'event-103');
    expect(received.at(-1)).toMatchObject({
      channel: 'overview',
      cursor: expect.stringMatching(/^[0-9a-z]+\.\d+-\d+$/) as unknown,
      cause: { id: 'event-103', type: 'tracker.pledge.amended.v1' },
    });
    const values = received.map(pledged);
    expect(values).toEqual([...values].sort((a, b) => a! - b!));
    expect(values.at(-1)).toBe(103);
  });

  it('stops sending a channel after unsubscribe', async () => {
    const socket = await rawSocket();
    const received: LiveUpdate[] = [];
    socket.on('update', (update) => received.push(update));
    await socket.emitWithAck('subscribe', { channels: ['overview', 'item:MBT'] });
    const reply = await socket.emitWithAck('unsubscribe', { channels: ['overview'] });
    expect(reply).toEqual({ ok: true, channels: ['item:MBT'] });
    await readModel.pledge('p-2', { pledged: 5, itemCode: 'MBT' });
    await waitFor('the item update', () =>
      received.some((update) => update.channel === 'item:MBT'),
    );
    expect(received.map((update) => update.channel)).toEqual(['item:MBT']);
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

  it('reports its connections on /metrics', async () => {
    await rawSocket();
    const response = await request(gateway.url).get('/metrics').expect(200);
    expect(response.text).toMatch(/^tracker_live_connections\{[^}]*\} [1-9]/m);
    expect(response.text).toContain('tracker_live_outbox_merges');
  });

  it('keeps a LiveClient’s values equal to the read model’s', async () => {
    const channels = ['overview', 'item:AMMO-155MM', 'pledge:p-1'];
    const client = await clients.live(gateway.url, TOKENS.ops, channels);
    await readModel.pledge('p-1', { pledged: 150, accepted: 20 });
    await holdsServerState(client, readModel, channels);
  });
});

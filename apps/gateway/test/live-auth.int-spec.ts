import { AlertsValue } from '@tracker/read-model';
import { waitFor } from '@tracker/testing';
import { io, Socket } from 'socket.io-client';
import { ClientToServerEvents, LiveUpdate, ServerToClientEvents } from '../src/live/live.events';
import { InMemoryReadModel, RunningGateway, startGateway, TOKENS } from './gateway-harness';

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const GERMAN_PLEDGE = 'pledge:0197a1b2-0000-7000-8000-00000000000d';
const FRENCH_PLEDGE = 'pledge:0197a1b2-0000-7000-8000-00000000000f';

const alerts = (...open: { alertId: string; entityType: string; entityId: string }[]) =>
  ({
    kind: 'alerts',
    open: open.map((alert) => ({
      kind: 'pledge-overdue',
      severity: 'warning',
      message: 'late',
      raisedAt: '2026-01-01T00:00:00Z',
      details: {},
      ...alert,
    })),
  }) as AlertsValue;

describe('who may use /live', () => {
  const readModel = new InMemoryReadModel();
  const sockets: RawSocket[] = [];
  let gateway: RunningGateway;

  function open(auth: Record<string, unknown>, namespace = '/live'): RawSocket {
    const socket: RawSocket = io(`${gateway.url}${namespace}`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    return socket;
  }

  async function connected(token: string): Promise<RawSocket> {
    const socket = open({ token });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }

  function refusal(socket: RawSocket): Promise<Error & { data?: unknown }> {
    return new Promise((resolve, reject) => {
      socket.once('connect', () => reject(new Error('the handshake was accepted')));
      socket.once('connect_error', resolve);
    });
  }

  beforeAll(async () => {
    readModel.publish({
      [GERMAN_PLEDGE]: { kind: 'pledge', donor: 'DE', pledged: 10 },
      [FRENCH_PLEDGE]: { kind: 'pledge', donor: 'FR', pledged: 20 },
      'donor:DE': { kind: 'donor', donor: 'DE' },
      alerts: alerts(
        { alertId: 'de-donor', entityType: 'donor', entityId: 'DE' },
        { alertId: 'fr-donor', entityType: 'donor', entityId: 'FR' },
      ),
    });
    gateway = await startGateway(readModel);
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    await gateway.close();
  });

  it.each([
    ['no token', {}],
    ['an unknown token', { token: 'guess' }],
    ['a token that is not a string', { token: 12345 }],
    ['an empty token', { token: '' }],
  ])('refuses a handshake with %s', async (_label, auth) => {
    const error = await refusal(open(auth));
    expect(error.message).toBe('unauthorized');
    expect(error.data).toEqual({ code: 'unauthorized' });
  });

  it('refuses the default namespace, even with a good token', async () => {
    const error = await refusal(open({ token: TOKENS.admin }, '/'));
    expect(error.message).toBe('connect to /live');
  });

  it.each([
    [TOKENS.germany, 'donor:FR'],
    [TOKENS.germany, FRENCH_PLEDGE],
    [TOKENS.germany, 'pledge:0197a1b2-0000-7000-8000-0000000000ff'],
    [TOKENS.producer, 'alerts'],
    [TOKENS.producer, 'donor:DE'],
    [TOKENS.producer, GERMAN_PLEDGE],
  ])('with token %s refuses %s, naming it, and subscribes to nothing', async (token, channel) => {
    const socket = await connected(token);
    const received: LiveUpdate[] = [];
    socket.on('update', (update) => received.push(update));
    const reply = await socket.emitWithAck('subscribe', { channels: ['overview', channel] });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden', channel } });
    await socket.emitWithAck('subscribe', { channels: ['feed'] });
    readModel.publish({ overview: { pledged: 1 } });
    readModel.publish({ feed: { events: [] } });
    await waitFor('the feed update', () => received.some((update) => update.channel === 'feed'));
    expect(received.map((update) => update.channel)).toEqual(['feed']);
  });

  it('lets a donor read its own donor channel and pledges', async () => {
    const socket = await connected(TOKENS.germany);
    const reply = await socket.emitWithAck('subscribe', {
      channels: ['donor:DE', GERMAN_PLEDGE, 'overview', 'item:MBT', 'feed'],
    });
    expect(reply).toMatchObject({
      ok: true,
      snapshot: { [GERMAN_PLEDGE]: { donor: 'DE', pledged: 10 }, 'donor:DE': { donor: 'DE' } },
    });
  });

  it('shows a donor only its own alerts, in the snapshot and in updates', async () => {
    const socket = await connected(TOKENS.germany);
    const received: LiveUpdate[] = [];
    socket.on('update', (update) => received.push(update));
    const reply = await socket.emitWithAck('subscribe', { channels: ['alerts'] });
    expect(reply).toMatchObject({
      ok: true,
      snapshot: { alerts: { open: [{ alertId: 'de-donor' }] } },
    });
    readModel.publish({
      alerts: alerts(
        { alertId: 'fr-item', entityType: 'item', entityId: 'MBT' },
        { alertId: 'pl-donor', entityType: 'donor', entityId: 'PL' },
      ),
    });
    await waitFor('the alerts update', () => received.at(-1));
    expect((received.at(-1)!.value as AlertsValue).open.map((alert) => alert.alertId)).toEqual([
      'fr-item',
    ]);
  });

  it('shows ops every alert', async () => {
    const socket = await connected(TOKENS.ops);
    const reply = await socket.emitWithAck('subscribe', { channels: ['alerts'] });
    expect(reply).toMatchObject({ ok: true, snapshot: { alerts: readModel.current('alerts') } });
  });
});

import { AlertsValue, AlertValue } from '@tracker/read-model';
import { waitFor } from '@tracker/testing';
import { io, Socket } from 'socket.io-client';
import { ClientToServerEvents, LiveUpdate, ServerToClientEvents } from '../src/live/live.events';
import { ReadModelFixture, RunningGateway, startGateway, TOKENS } from './gateway-harness';

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const GERMAN_PLEDGE = 'pledge:de-1';
const FRENCH_PLEDGE = 'pledge:fr-1';

const alert = (
  alertId: string,
  entityType: AlertValue['entityType'],
  entityId: string,
): AlertValue => ({
  alertId,
  kind: 'pledge-overdue',
  severity: 'warning',
  entityType,
  entityId,
  message: 'late',
  raisedAt: '2026-01-01T00:00:00Z',
  details: {},
});

describe('who may use /live', () => {
  let readModel: ReadModelFixture;
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
    readModel = await ReadModelFixture.create('live-auth');
    await readModel.pledge('de-1', { donor: 'DE', pledged: 10 });
    await readModel.pledge('fr-1', { donor: 'FR', pledged: 20 });
    await readModel.alert('de-donor', alert('de-donor', 'donor', 'DE'));
    await readModel.alert('fr-donor', alert('fr-donor', 'donor', 'FR'));
    gateway = await startGateway(readModel);
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    await gateway.close();
    await readModel.cleanup();
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
    [TOKENS.producer, 'donor:DE'],
    [TOKENS.producer, GERMAN_PLEDGE],
    [TOKENS.ukraine, 'overview'],
  ])(
    'with token %s gives %s public-only, in the snapshot and in updates',
    async (token, channel) => {
      const socket = await connected(token);
      const received: LiveUpdate[] = [];
      socket.on('update', (update) => received.push(update));
      const reply = await socket.emitWithAck('subscribe', { channels: [channel] });
      expect(reply).toMatchObject({ ok: true, snapshot: { [channel]: { view: 'public' } } });
      const donor = channel === FRENCH_PLEDGE || channel === 'donor:FR' ? 'FR' : 'DE';
      const pledgeId = donor === 'FR' ? 'fr-1' : 'de-1';
      await readModel.pledge(pledgeId, { donor, itemCode: 'MBT', pledged: 10, accepted: 3 });
      await waitFor('the update', () => received.some((update) => update.channel === channel));
      for (const { value } of [...received, { value: (reply as { snapshot: object }).snapshot }]) {
        expect(JSON.stringify(value)).not.toMatch(/"(allocated|shipped|received|lost|forecast)"/);
      }
    },
  );

  it('refuses a channel that does not exist, naming it, and subscribes to nothing', async () => {
    const socket = await connected(TOKENS.germany);
    const reply = await socket.emitWithAck('subscribe', { channels: ['overview', 'donor:XYZ'] });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel', channel: 'donor:XYZ' },
    });
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
    const france = await connected(TOKENS.france);
    await expect(
      france.emitWithAck('subscribe', { channels: [FRENCH_PLEDGE, 'donor:FR'] }),
    ).resolves.toMatchObject({ ok: true });
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
    await readModel.alert('pl-donor', alert('pl-donor', 'donor', 'PL'));
    await readModel.alert('mbt-item', alert('mbt-item', 'item', 'MBT'));
    await waitFor(
      'the alerts update',
      () => (received.at(-1)?.value as AlertsValue)?.open.length === 2,
    );
    const open = (received.at(-1)!.value as AlertsValue).open.map((shown) => shown.alertId);
    expect(open.sort()).toEqual(['de-donor', 'mbt-item']);
  });

  it('shows ops every alert', async () => {
    const socket = await connected(TOKENS.ops);
    const reply = await socket.emitWithAck('subscribe', { channels: ['alerts'] });
    const { values } = await readModel.snapshot(['alerts']);
    expect((values.alerts as AlertsValue).open.length).toBeGreaterThanOrEqual(2);
    expect(reply).toMatchObject({ ok: true, snapshot: values });
  });
});

import { AlertValue, FeedEntry } from '@tracker/read-model';
import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import { ReadModelFixture, RunningGateway, startGateway, TOKENS } from './gateway-harness';

// Every role against every gateway read and every kind of /live channel (docs/DESIGN.md §4b):
// what each gets, whole, public-only or filtered, over REST and in a /live snapshot alike.

type Outcome = 'whole' | 'public' | { readonly entries: readonly string[] } | 401 | 404;

const ROLES = {
  admin: TOKENS.admin,
  ops: TOKENS.ops,
  'donor:DE': TOKENS.germany,
  'donor:FR': TOKENS.france,
  'producer:rheinmetall': TOKENS.producer,
  'producer:nammo': TOKENS.nammo,
  'recipient:UA': TOKENS.ukraine,
  'no token': undefined,
} as const;
type RoleName = keyof typeof ROLES;

const ALL_ALERTS = ['de-shipment', 'fr-pledge', 'item', 'stock-pl', 'lot-nammo'];
const ALL_FEED = ['announced', 'de-shipped', 'fr-allocated', 'nammo-lot', 'ua-stock'];

/** route → channel → expected outcome per role. */
const MATRIX: readonly {
  path: string;
  channel: string;
  outcome: Readonly<Record<RoleName, Outcome>>;
}[] = [
  {
    path: '/v1/overview',
    channel: 'overview',
    outcome: {
      admin: 'whole',
      ops: 'whole',
      'donor:DE': 'public',
      'donor:FR': 'public',
      'producer:rheinmetall': 'public',
      'producer:nammo': 'public',
      'recipient:UA': 'public',
      'no token': 401,
    },
  },
  {
    path: '/v1/donors/DE',
    channel: 'donor:DE',
    outcome: {
      admin: 'whole',
      ops: 'whole',
      'donor:DE': 'whole',
      'donor:FR': 'public',
      'producer:rheinmetall': 'public',
      'producer:nammo': 'public',
      'recipient:UA': 'public',
      'no token': 401,
    },
  },
  {
    path: '/v1/items/AMMO-155MM',
    channel: 'item:AMMO-155MM',
    outcome: {
      admin: 'whole',
      ops: 'whole',
      'donor:DE': 'public',
      'donor:FR': 'public',
      'producer:rheinmetall': 'public',
      'producer:nammo': 'public',
      'recipient:UA': 'public',
      'no token': 401,
    },
  },
  {
    path: '/v1/pledges/de-1/live',
    channel: 'pledge:de-1',
    outcome: {
      admin: 'whole',
      ops: 'whole',
      'donor:DE': 'whole',
      'donor:FR': 'public',
      'producer:rheinmetall': 'public',
      'producer:nammo': 'public',
      'recipient:UA': 'whole',
      'no token': 401,
    },
  },
  {
    path: '/v1/pledges/fr-1/live',
    channel: 'pledge:fr-1',
    outcome: {
      admin: 'whole',
      ops: 'whole',
      'donor:DE': 'public',
      'donor:FR': 'whole',
      'producer:rheinmetall': 'public',
      'producer:nammo': 'public',
      'recipient:UA': 'public',
      'no token': 401,
    },
  },
  {
    path: '/v1/pledges/no-such-pledge/live',
    channel: 'pledge:no-such-pledge',
    outcome: {
      admin: 404,
      ops: 404,
      'donor:DE': 404,
      'donor:FR': 404,
      'producer:rheinmetall': 404,
      'producer:nammo': 404,
      'recipient:UA': 404,
      'no token': 401,
    },
  },
  {
    path: '/v1/alerts',
    channel: 'alerts',
    outcome: {
      admin: { entries: ALL_ALERTS },
      ops: { entries: ALL_ALERTS },
      'donor:DE': { entries: ['de-shipment', 'item'] },
      'donor:FR': { entries: ['fr-pledge', 'item'] },
      'producer:rheinmetall': { entries: ['de-shipment', 'item'] },
      'producer:nammo': { entries: ['item', 'lot-nammo'] },
      'recipient:UA': { entries: ['de-shipment', 'item'] },
      'no token': 401,
    },
  },
  {
    path: '',
    channel: 'feed',
    outcome: {
      admin: { entries: ALL_FEED },
      ops: { entries: ALL_FEED },
      'donor:DE': { entries: ['announced', 'de-shipped'] },
      'donor:FR': { entries: ['announced', 'fr-allocated'] },
      'producer:rheinmetall': { entries: ['announced', 'de-shipped'] },
      'producer:nammo': { entries: ['announced', 'fr-allocated', 'nammo-lot'] },
      'recipient:UA': { entries: ['announced', 'de-shipped', 'ua-stock'] },
      'no token': 401,
    },
  },
];

const alert = (alertId: string, overrides: Partial<AlertValue>): AlertValue => ({
  alertId,
  kind: 'shipment-stalled',
  severity: 'warning',
  entityType: 'shipment',
  entityId: 's-1',
  message: alertId,
  raisedAt: '2026-01-01T00:00:00Z',
  details: {},
  ...overrides,
});

let minute = 0;
const entry = (id: string, audience: FeedEntry['audience']): FeedEntry => ({
  id,
  type: 'tracker.test.v1',
  time: `2026-01-01T00:${String((minute += 1)).padStart(2, '0')}:00Z`,
  subject: id,
  summary: id,
  audience,
});

const OPERATIONAL = /"(allocated|shipped|received|rejected|lost|forecast|produced)":/;

/** Checks a value (REST body or snapshot) against what the role should get. */
function check(role: RoleName, channel: string, outcome: Outcome, value: unknown): void {
  const text = JSON.stringify(value);
  const where = `${role} on ${channel}`;
  if (outcome === 'whole') {
    expect({ where, view: (value as { view?: string }).view }).toEqual({ where, view: undefined });
  } else if (outcome === 'public') {
    expect({ where, view: (value as { view?: string }).view }).toEqual({ where, view: 'public' });
    expect({ where, operational: OPERATIONAL.exec(text)?.[1] }).toEqual({
      where,
      operational: undefined,
    });
  } else if (typeof outcome === 'object') {
    const list =
      (value as { open?: { alertId: string }[] }).open?.map((one) => one.alertId) ??
      (value as { events: { id: string }[] }).events.map((one) => one.id);
    expect({ where, entries: [...list].sort() }).toEqual({
      where,
      entries: [...outcome.entries].sort(),
    });
  }
}

describe('who reads what at the gateway: role × route × channel', () => {
  let readModel: ReadModelFixture;
  let gateway: RunningGateway;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    readModel = await ReadModelFixture.create('read-matrix');
    await readModel.pledge('de-1', { donor: 'DE', recipient: 'UA', pledged: 100, accepted: 10 });
    await readModel.pledge('fr-1', { donor: 'FR', recipient: 'PL', pledged: 50 });
    await readModel.stockpile('UA', 'AMMO-155MM', 900, 1000);
    await readModel.stockpile('PL', 'AMMO-155MM', 800, 1000);
    await readModel.produced('AMMO-155MM', '2026-01-01', 400);
    const shipmentParties = { donor: 'DE', recipient: 'UA', producer: 'rheinmetall' };
    await readModel.alert('de-shipment', alert('de-shipment', { details: shipmentParties }));
    await readModel.alert(
      'fr-pledge',
      alert('fr-pledge', { entityType: 'pledge', details: { donor: 'FR', recipient: 'PL' } }),
    );
    await readModel.alert(
      'item',
      alert('item', { kind: 'capacity-shortfall', entityType: 'item', entityId: 'AMMO-155MM' }),
    );
    await readModel.alert(
      'stock-pl',
      alert('stock-pl', { entityType: 'stockpile', entityId: 'PL:AMMO-155MM' }),
    );
    await readModel.alert(
      'lot-nammo',
      alert('lot-nammo', { entityType: 'lot', entityId: 'L-1', details: { producer: 'nammo' } }),
    );
    await readModel.feed(entry('announced', { class: 'public' }));
    await readModel.feed(
      entry('de-shipped', {
        class: 'operational',
        donor: 'DE',
        recipient: 'UA',
        producers: ['rheinmetall'],
      }),
    );
    await readModel.feed(
      entry('fr-allocated', {
        class: 'operational',
        donor: 'FR',
        recipient: 'PL',
        producers: ['nammo'],
      }),
    );
    await readModel.feed(entry('nammo-lot', { class: 'commercial', producer: 'nammo' }));
    await readModel.feed(entry('ua-stock', { class: 'national', nation: 'UA' }));
    gateway = await startGateway(readModel);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await gateway.close();
    await readModel.cleanup();
  });

  const rows = MATRIX.flatMap(({ path, channel, outcome }) =>
    (Object.keys(ROLES) as RoleName[]).map((role) => ({
      path,
      channel,
      role,
      want: outcome[role],
    })),
  );

  it.each(rows.filter((row) => row.path !== ''))(
    'REST $path as $role',
    async ({ path, channel, role, want }) => {
      const token = ROLES[role];
      const call = request(gateway.url).get(path);
      const response = await (token === undefined
        ? call
        : call.set('Authorization', `Bearer ${token}`));
      if (typeof want === 'number') {
        expect(response.status).toBe(want);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        return;
      }
      expect(response.status).toBe(200);
      check(role, channel, want, response.body);
    },
  );

  it.each(rows.filter((row) => row.role !== 'no token'))(
    '/live $channel as $role',
    async ({ channel, role, want }) => {
      const socket: Socket = io(`${gateway.url}/live`, {
        auth: { token: ROLES[role] },
        transports: ['websocket'],
        reconnection: false,
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const reply = (await socket.emitWithAck('subscribe', { channels: [channel] })) as {
        ok: boolean;
        snapshot: Record<string, unknown>;
      };
      expect(reply.ok).toBe(true);
      const value = reply.snapshot[channel];
      if (want === 404) expect(value).toBeNull();
      else if (typeof want !== 'number') check(role, channel, want, value);
      socket.disconnect();
    },
  );

  it('refuses a /live handshake without a token', async () => {
    const socket: Socket = io(`${gateway.url}/live`, {
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toBe('unauthorized');
  });
});

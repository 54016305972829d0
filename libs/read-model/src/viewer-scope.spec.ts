import { Viewer } from '@tracker/access';
import { CHANNEL_ACCESS, CHANNEL_KINDS } from './channels';
import { presentProgramme } from './present-programme';
import { scopeValue } from './viewer-scope';
import {
  AlertsValue,
  AlertValue,
  DonorValue,
  FeedEntry,
  FeedValue,
  ItemValue,
  OverviewValue,
  PledgeSummary,
  PledgeValue,
  ProgrammeValue,
} from './values';

const admin: Viewer = { kind: 'admin' };
const ops: Viewer = { kind: 'ops' };
const germany: Viewer = { kind: 'donor', country: 'DE' };
const france: Viewer = { kind: 'donor', country: 'FR' };
const ukraine: Viewer = { kind: 'recipient', country: 'UA' };
const rheinmetall: Viewer = { kind: 'producer', org: 'rheinmetall' };
const nammo: Viewer = { kind: 'producer', org: 'nammo' };

const OPERATIONAL = ['allocated', 'shipped', 'received', 'rejected', 'lost'];

const summary = (pledged: number): PledgeSummary => ({
  totals: {
    pledged,
    allocated: 5,
    shipped: 4,
    received: 3,
    accepted: 2,
    rejected: 1,
    lost: 1,
    outstanding: pledged - 2,
  },
  pledges: 1,
  pledgeCounts: {
    announced: 1,
    'in-production': 0,
    'partially-delivered': 0,
    delivered: 0,
    overdue: 0,
    cancelled: 0,
  },
});

const overview: OverviewValue = { kind: 'overview', ...summary(10) };
const donorDE: DonorValue = {
  kind: 'donor',
  donor: 'DE',
  ...summary(10),
  items: { MBT: summary(10) },
};
const item: ItemValue = {
  kind: 'item',
  itemCode: 'MBT',
  ...summary(10),
  donors: { DE: summary(10) },
  capacity: {
    unitsPerMonth: 7,
    byBasis: { 'company-claim': 7, government: 0, audited: 0 },
    estimate: true,
  },
  produced: 40,
  producedPerMonth: 13.33,
  outstandingDemand: 8,
  monthsToClear: { months: 1.14, basis: 'declared-capacity', estimate: true },
  stockpiles: {
    DE: { quantity: 5, minimumRequired: 9, belowMinimum: true, reportedAt: '2026-01-01' },
    UA: { quantity: 1, minimumRequired: null, belowMinimum: false, reportedAt: '2026-01-02' },
  },
  daily: [{ date: '2026-01-01', produced: 40, shipped: 4, delivered: 2 }],
};
const pledge: PledgeValue = {
  kind: 'pledge',
  pledgeId: 'de-1',
  donor: 'DE',
  recipient: 'UA',
  itemCode: 'MBT',
  purpose: 'military-aid',
  sourcing: 'new-production',
  confidence: 'official',
  programme: null,
  announcedAt: '2026-01-01T00:00:00Z',
  targetDate: '2026-06-30',
  status: 'in-production',
  daysLate: null,
  cancelled: null,
  forecast: {
    completionDate: '2026-08-01',
    daysLate: 32,
    basis: 'allocated-output',
    ratePerMonth: 3,
    estimate: true,
  },
  ...summary(10).totals,
};

const alert = (alertId: string, overrides: Partial<AlertValue>): AlertValue => ({
  alertId,
  kind: 'shipment-stalled',
  severity: 'warning',
  entityType: 'shipment',
  entityId: 's-1',
  message: 'late',
  raisedAt: '2026-01-01T00:00:00Z',
  details: {},
  ...overrides,
});
const alerts: AlertsValue = {
  kind: 'alerts',
  open: [
    alert('de-shipment', { details: { donor: 'DE', recipient: 'UA', producer: 'rheinmetall' } }),
    alert('fr-pledge', { entityType: 'pledge', entityId: 'fr-1', details: { donor: 'FR' } }),
    alert('item', { kind: 'capacity-shortfall', entityType: 'item', entityId: 'MBT' }),
    alert('stock-de', { entityType: 'stockpile', entityId: 'DE:MBT' }),
    alert('lot-nammo', { entityType: 'lot', entityId: 'L-1', details: { producer: 'nammo' } }),
    alert('unknown-parties', {}),
  ],
};

const entry = (id: string, audience?: FeedEntry['audience']): FeedEntry => ({
  id,
  type: 't',
  time: '2026-01-01T00:00:00Z',
  subject: id,
  summary: id,
  audience,
});
const feed: FeedValue = {
  kind: 'feed',
  events: [
    entry('announced', { class: 'public' }),
    entry('shipped', {
      class: 'operational',
      donor: 'DE',
      recipient: 'UA',
      producers: ['rheinmetall'],
    }),
    entry('lot', { class: 'commercial', producer: 'nammo' }),
    entry('stock', { class: 'national', nation: 'FR' }),
    entry('legacy'),
  ],
};

const programme: ProgrammeValue = presentProgramme(
  'EU-1M-SHELLS',
  new Map([
    ['pledged', '300'],
    ['accepted', '100'],
    ['d:target', '1000'],
  ]),
);

const ids = (value: unknown, list: 'open' | 'events') =>
  (value as Record<string, { alertId?: string; id?: string }[]>)[list].map(
    (one) => one.alertId ?? one.id,
  );

describe(scopeValue.name, () => {
  it.each([admin, ops])('gives %o every value whole', (viewer) => {
    for (const [channel, value] of [
      ['overview', overview],
      ['donor:DE', donorDE],
      ['item:MBT', item],
      ['pledge:de-1', pledge],
      ['alerts', alerts],
      ['feed', feed],
    ] as const) {
      expect(scopeValue(viewer, channel, value)).toBe(value);
    }
  });

  it('gives everyone else the public totals of the overview', () => {
    for (const viewer of [germany, ukraine, rheinmetall]) {
      const scoped = scopeValue(viewer, 'overview', overview) as Record<string, object>;
      expect(scoped).toMatchObject({ kind: 'overview', view: 'public' });
      expect(scoped.totals).toEqual({ pledged: 10, accepted: 2, outstanding: 8 });
    }
  });

  it('gives a donor its own donor channel whole and others its public part', () => {
    expect(scopeValue(germany, 'donor:DE', donorDE)).toBe(donorDE);
    for (const viewer of [france, ukraine, rheinmetall]) {
      const scoped = JSON.stringify(scopeValue(viewer, 'donor:DE', donorDE));
      expect(scoped).toContain('"view":"public"');
      for (const field of OPERATIONAL) expect(scoped).not.toContain(`"${field}"`);
    }
  });

  it('gives a pledge whole to its donor and recipient, its public part to producers', () => {
    expect(scopeValue(germany, 'pledge:de-1', pledge)).toBe(pledge);
    expect(scopeValue(ukraine, 'pledge:de-1', pledge)).toBe(pledge);
    for (const viewer of [france, rheinmetall, { kind: 'recipient', country: 'PL' } as Viewer]) {
      const scoped = scopeValue(viewer, 'pledge:de-1', pledge) as Record<string, unknown>;
      expect(scoped).toMatchObject({
        view: 'public',
        pledged: 10,
        accepted: 2,
        status: 'in-production',
      });
      for (const field of [...OPERATIONAL, 'forecast']) expect(scoped).not.toHaveProperty(field);
    }
  });

  it('gives an item its public part, with the viewer’s own nation’s stockpile only', () => {
    const german = scopeValue(germany, 'item:MBT', item) as Record<string, unknown>;
    expect(german).toMatchObject({ view: 'public', capacity: item.capacity });
    expect(Object.keys(german.stockpiles as object)).toEqual(['DE']);
    expect(german.daily).toEqual([{ date: '2026-01-01', delivered: 2 }]);
    expect(german).not.toHaveProperty('produced');
    expect(german).not.toHaveProperty('producedPerMonth');
    expect(JSON.stringify(german)).not.toMatch(/"(allocated|shipped|received|rejected|lost)"/);
    const producer = scopeValue(rheinmetall, 'item:MBT', item) as Record<string, unknown>;
    expect(producer.stockpiles).toEqual({});
    expect(Object.keys((scopeValue(ukraine, 'item:MBT', item) as ItemValue).stockpiles)).toEqual([
      'UA',
    ]);
  });

  it.each([
    [germany, ['de-shipment', 'item', 'stock-de']],
    [france, ['fr-pledge', 'item']],
    [ukraine, ['de-shipment', 'item']],
    [rheinmetall, ['de-shipment', 'item']],
    [nammo, ['item', 'lot-nammo']],
  ])('shows %o the alerts it may see', (viewer, expected) => {
    expect(ids(scopeValue(viewer, 'alerts', alerts), 'open')).toEqual(expected);
  });

  it.each([
    [germany, ['announced', 'shipped']],
    [france, ['announced', 'stock']],
    [ukraine, ['announced', 'shipped']],
    [rheinmetall, ['announced', 'shipped']],
    [nammo, ['announced', 'lot']],
  ])(
    'shows %o the feed entries it may see; unlabelled ones only to admin and ops',
    (viewer, expected) => {
      expect(ids(scopeValue(viewer, 'feed', feed), 'events')).toEqual(expected);
      expect(ids(scopeValue(ops, 'feed', feed), 'events')).toContain('legacy');
    },
  );

  it('makes each scoped form once per value, so one update fans out as one frame per form', () => {
    expect(scopeValue(germany, 'overview', overview)).toBe(
      scopeValue(rheinmetall, 'overview', overview),
    );
    expect(scopeValue(germany, 'alerts', alerts)).toBe(scopeValue(germany, 'alerts', alerts));
    expect(scopeValue(germany, 'alerts', alerts)).not.toBe(scopeValue(france, 'alerts', alerts));
  });

  it('scopes every kind of channel with non-public data for an outsider, and declares its data classes', () => {
    const samples: Record<(typeof CHANNEL_KINDS)[number], [string, object]> = {
      overview: ['overview', overview],
      donor: ['donor:DE', donorDE],
      item: ['item:MBT', item],
      pledge: ['pledge:de-1', pledge],
      programme: ['programme:EU-1M-SHELLS', programme],
      alerts: ['alerts', alerts],
      feed: ['feed', feed],
    };
    const outsider: Viewer = { kind: 'donor', country: 'PL' };
    for (const kind of CHANNEL_KINDS) {
      const [channel, value] = samples[kind];
      const publicOnly = CHANNEL_ACCESS[kind].every((dataClass) => dataClass === 'public');
      if (publicOnly) expect(scopeValue(outsider, channel, value)).toBe(value);
      else expect(scopeValue(outsider, channel, value)).not.toBe(value);
      expect(CHANNEL_ACCESS[kind].length).toBeGreaterThan(0);
    }
  });
});

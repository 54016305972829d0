import type { PledgeHistoryEntry, ProgrammeValue } from '@tracker/read-model';
import {
  CATALOGUE,
  DashboardModel,
  flowStages,
  historySeries,
  PLEDGE_COLUMNS,
  programmeSeries,
} from './model';

const totals = (pledged: number, accepted: number) => ({
  pledged,
  allocated: 0,
  shipped: accepted,
  received: accepted,
  accepted,
  rejected: 0,
  lost: 0,
  outstanding: pledged - accepted,
});
const summary = (pledged: number, accepted: number) => ({
  totals: totals(pledged, accepted),
  pledges: 1,
  pledgeCounts: {},
});
const pledge = (id: string, donor: string, daysLate: number | null, forecast: string | null) => ({
  kind: 'pledge',
  pledgeId: id,
  donor,
  itemCode: 'MBT',
  status: daysLate !== null && daysLate > 0 ? 'overdue' : 'announced',
  ...totals(10, 2),
  targetDate: '2026-06-30',
  daysLate,
  forecast: forecast && { completionDate: forecast, estimate: true },
});

/** A summary as a viewer without the operations gets it (libs/read-model viewer-scope). */
const publicSummary = (pledged: number, accepted: number) => ({
  totals: { pledged, accepted, outstanding: pledged - accepted },
  pledges: 1,
  pledgeCounts: {},
});
const publicItem = (itemCode: string, donors: Record<string, unknown>) => ({
  kind: 'item',
  view: 'public',
  itemCode,
  ...publicSummary(10, 2),
  donors,
  capacity: { unitsPerMonth: 4, byBasis: {}, estimate: true },
  outstandingDemand: 8,
  monthsToClear: { months: 2, basis: 'declared-capacity', estimate: true },
  stockpiles: {},
  daily: [{ date: '2026-11-30', delivered: 2 }],
});
const publicPledge = (id: string, donor: string) => {
  const { forecast: _forecast, allocated: _a, shipped: _s, ...rest } = pledge(id, donor, 3, null);
  return { ...rest, view: 'public' };
};

function model(values: Record<string, unknown>) {
  return new DashboardModel(new Map(Object.entries(values)));
}

describe(DashboardModel.name, () => {
  it('wants the catalogue, the donors the items mention and the pledges the feed names', () => {
    const wanted = model({
      'item:MBT': { ...summary(10, 2), donors: { PL: summary(10, 2) } },
      feed: {
        events: [
          { type: 'tracker.pledge.announced.v1', subject: 'p-1' },
          { type: 'tracker.shipment.dispatched.v1', subject: 's-1' },
        ],
      },
    }).wantedChannels(['p-0'], new Set(['donor:PL']));
    expect(wanted).toEqual(
      expect.arrayContaining([
        'overview',
        'alerts',
        'feed',
        ...CATALOGUE.map((item) => `item:${item}`),
        'pledge:p-0',
        'pledge:p-1',
      ]),
    );
    expect(wanted).not.toContain('donor:PL');
    expect(wanted).not.toContain('pledge:s-1');
  });

  it('sorts pledges by a column, blanks last, and filters by text and status', () => {
    const values = model({
      'pledge:a': pledge('a', 'DE', 30, '2026-09-01'),
      'pledge:b': pledge('b', 'FR', null, null),
      'pledge:c': pledge('c', 'PL', -5, '2026-05-01'),
    });
    const ids = (rows: { id: string }[]) => rows.map((row) => row.id);
    const query = { text: '', status: '' as const, sortBy: 'daysLate' as const, descending: false };
    expect(ids(values.pledgeRows(query))).toEqual(['c', 'a', 'b']);
    expect(ids(values.pledgeRows({ ...query, descending: true }))).toEqual(['a', 'c', 'b']);
    expect(ids(values.pledgeRows({ ...query, text: 'fr' }))).toEqual(['b']);
    expect(ids(values.pledgeRows({ ...query, status: 'overdue' }))).toEqual(['a']);
    expect(values.pledgeRows(query)[1]).toMatchObject({ forecastDate: '2026-09-01' });
  });

  it('counts a donor it may not read through the items’ breakdowns', () => {
    const rows = model({
      'item:MBT': { ...summary(10, 2), itemCode: 'MBT', donors: { PL: summary(10, 2) } },
      'item:IFV': { ...summary(5, 5), itemCode: 'IFV', donors: { PL: summary(5, 5) } },
    }).flowByDonor();
    expect(rows).toEqual([{ label: 'PL', pledged: 15, allocated: 0, shipped: 7, accepted: 7 }]);
  });

  it('draws only the stages and series a public view has, never NaN', () => {
    const values = model({
      'item:MBT': publicItem('MBT', { PL: publicSummary(10, 2), FR: publicSummary(4, 1) }),
      'pledge:p-1': publicPledge('p-1', 'PL'),
    });
    const byItem = values.flowByItem();
    expect(byItem).toEqual([
      { label: 'MBT', pledged: 10, allocated: null, shipped: null, accepted: 2 },
    ]);
    expect(flowStages(byItem)).toEqual(['accepted']);
    expect(values.flowByDonor()).toEqual([
      { label: 'PL', pledged: 10, allocated: null, shipped: null, accepted: 2 },
      { label: 'FR', pledged: 4, allocated: null, shipped: null, accepted: 1 },
    ]);
    expect(values.capacityVsDemand()).toEqual([
      {
        item: 'MBT',
        capacityPerMonth: 4,
        producedPerMonth: null,
        outstandingDemand: 8,
        monthsToClear: 2,
      },
    ]);
    const query = { text: '', status: '' as const, sortBy: 'id' as const, descending: false };
    expect(values.pledgeRows(query)).toEqual([
      expect.objectContaining({ id: 'p-1', view: 'public', forecastDate: null, daysLate: 3 }),
    ]);
    expect(values.pledgeColumns()).toEqual(PLEDGE_COLUMNS.filter((c) => c !== 'forecastDate'));
    expect(values.stockpiles()).toEqual([]);
  });

  it('mixes the viewer’s own whole values with everyone else’s public ones', () => {
    const values = model({
      'donor:DE': { kind: 'donor', donor: 'DE', ...summary(20, 5), items: { MBT: summary(20, 5) } },
      'item:MBT': publicItem('MBT', { DE: publicSummary(20, 5), PL: publicSummary(10, 2) }),
      'pledge:de-1': pledge('de-1', 'DE', null, '2026-09-01'),
      'pledge:pl-1': publicPledge('pl-1', 'PL'),
    });
    const byDonor = values.flowByDonor();
    expect(byDonor).toEqual([
      { label: 'DE', pledged: 20, allocated: 0, shipped: 5, accepted: 5 },
      { label: 'PL', pledged: 10, allocated: null, shipped: null, accepted: 2 },
    ]);
    expect(flowStages(byDonor)).toEqual(['allocated', 'shipped', 'accepted']);
    expect(values.pledgeColumns()).toEqual(PLEDGE_COLUMNS);
    const query = { text: '', status: '' as const, sortBy: 'id' as const, descending: false };
    expect(values.pledgeRows(query).map((row) => [row.id, row.view, row.forecastDate])).toEqual([
      ['de-1', 'full', '2026-09-01'],
      ['pl-1', 'public', null],
    ]);
  });

  it('keeps every stage while there is nothing to draw', () => {
    expect(flowStages([])).toEqual(['allocated', 'shipped', 'accepted']);
  });
});

describe(programmeSeries.name, () => {
  const programme = (overrides: Partial<ProgrammeValue>): ProgrammeValue => ({
    kind: 'programme',
    programmeId: 'EU-1M-SHELLS',
    name: 'One million shells',
    itemCode: 'AMMO-155MM',
    targetQuantity: 1_000_000,
    deadline: '2024-03-20',
    sourceUrl: null,
    declaredAt: '2023-03-20T00:00:00Z',
    pledged: 0,
    accepted: 0,
    outstanding: 0,
    pledges: 0,
    pledgeCounts: {} as ProgrammeValue['pledgeCounts'],
    unpledged: null,
    shortfall: null,
    deliveredShare: null,
    targetReachedIn: null,
    forecast: null,
    monthly: [],
    ...overrides,
  });

  it('carries the running sums over quiet months and stops at the last month with data', () => {
    const series = programmeSeries(
      programme({
        monthly: [
          {
            month: '2024-01',
            pledged: 600_000,
            delivered: 300_000,
            cumulativePledged: 600_000,
            cumulativeDelivered: 300_000,
          },
          {
            month: '2024-03',
            pledged: 0,
            delivered: 224_000,
            cumulativePledged: 600_000,
            cumulativeDelivered: 524_000,
          },
        ],
        forecast: {
          targetReachedBy: '2024-11-15',
          daysLate: 240,
          basis: 'recent-deliveries',
          ratePerMonth: 60_000,
          estimate: true,
        },
      }),
    );
    expect(series.months[0]).toBe('2024-01');
    expect(series.months.at(-1)).toBe('2024-11');
    expect(series.delivered.slice(0, 4)).toEqual([300_000, 300_000, 524_000, null]);
    expect(series.deadline[series.months.indexOf('2024-03')]).toBe(1_000_000);
    expect(series.forecast.filter((point) => point !== null)).toEqual([524_000, 1_000_000]);
    expect(series.target.every((point) => point === 1_000_000)).toBe(true);
  });

  it('draws nothing for a programme with no month and no dates', () => {
    expect(programmeSeries(programme({ deadline: null })).months).toEqual([]);
  });
});

describe(historySeries.name, () => {
  const entry = (time: string, changes: PledgeHistoryEntry['changes']): PledgeHistoryEntry => ({
    seq: 0,
    eventId: time,
    type: 'tracker.pledge.announced.v1',
    source: '/pledge-service',
    reportedBy: null,
    time,
    recordedAt: time,
    confidence: null,
    class: 'operational',
    changes,
  });

  it('carries each figure over the entries that do not change it', () => {
    const series = historySeries([
      entry('2024-01-05T00:00:00Z', { pledged: { before: 0, after: 1000 } }),
      entry('2024-02-01T00:00:00Z', { allocated: { before: 0, after: 600 } }),
      entry('2024-03-01T00:00:00Z', { shipped: { before: 0, after: 600 } }),
      entry('2024-03-20T00:00:00Z', { accepted: { before: 0, after: 550 } }),
      entry('2024-04-02T00:00:00Z', { accepted: { before: 550, after: 600 } }),
    ]);
    expect(series.labels).toEqual([
      '2024-01-05',
      '2024-02-01',
      '2024-03-01',
      '2024-03-20',
      '2024-04-02',
    ]);
    expect(series.figures.pledged).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(series.figures.allocated).toEqual([null, 600, 600, 600, 600]);
    expect(series.figures.accepted).toEqual([null, null, null, 550, 600]);
  });

  it('leaves out a figure no entry names (a public view has no allocated or shipped)', () => {
    const series = historySeries([
      entry('2024-01-05T00:00:00Z', { pledged: { before: 0, after: 1000 } }),
      entry('2024-03-20T00:00:00Z', { accepted: { before: 0, after: 550 } }),
    ]);
    expect(series.figures.shipped).toEqual([null, null]);
  });
});

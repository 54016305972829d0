import type { PledgeHistoryEntry, ProgrammeValue } from '@tracker/read-model';
import {
  AllocationListing,
  allocationsAsOf,
  CATALOGUE,
  changeText,
  channelPath,
  DashboardModel,
  endOfDayUtc,
  entriesSince,
  entriesUntil,
  etaChanges,
  figureChanges,
  flowStages,
  historySeries,
  milestonesInOrder,
  PLEDGE_COLUMNS,
  pledgeChartSeries,
  programmeSeries,
  ShipmentListing,
  shipmentsAsOf,
  summedHistorySeries,
  withAsOf,
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
    expect(series.figures.allocated).toEqual([0, 600, 600, 600, 600]);
    expect(series.figures.accepted).toEqual([0, 0, 0, 550, 600]);
  });

  it('leaves out a figure no entry names (a public view has no allocated or shipped)', () => {
    const series = historySeries([
      entry('2024-01-05T00:00:00Z', { pledged: { before: 0, after: 1000 } }),
      entry('2024-03-20T00:00:00Z', { accepted: { before: 0, after: 550 } }),
    ]);
    expect(series.figures.shipped).toEqual([null, null]);
  });
});

const anEntry = (
  time: string,
  changes: PledgeHistoryEntry['changes'],
  recordedAt = time,
): PledgeHistoryEntry => ({
  seq: 0,
  eventId: `${time}-${Object.keys(changes).join()}`,
  type: 'tracker.pledge.announced.v1',
  source: '/pledge-service',
  reportedBy: null,
  time,
  recordedAt,
  confidence: null,
  class: 'operational',
  changes,
});

describe(pledgeChartSeries.name, () => {
  const entries = [
    anEntry('2024-01-05T00:00:00Z', { pledged: { before: 0, after: 1000 } }),
    anEntry('2024-03-01T00:00:00Z', { accepted: { before: 0, after: 400 } }),
  ];

  it('marks a target date between entries, the figures carried to it', () => {
    const series = pledgeChartSeries(entries, {
      targetDate: '2024-02-01',
      forecastDate: null,
      today: '2024-12-01',
    });
    expect(series.labels).toEqual(['2024-01-05', '2024-02-01', '2024-03-01']);
    expect(series.target).toEqual([null, 1000, null]);
    expect(series.figures.pledged).toEqual([1000, 1000, 1000]);
    expect(series.figures.accepted).toEqual([0, 0, 400]);
    expect(series.forecast).toEqual([null, null, null]);
  });

  it('draws the forecast from the last accepted figure to the pledged one, figures not extended', () => {
    const series = pledgeChartSeries(entries, {
      targetDate: '2024-06-30',
      forecastDate: '2024-09-15',
      today: '2024-03-10',
    });
    expect(series.labels).toEqual(['2024-01-05', '2024-03-01', '2024-06-30', '2024-09-15']);
    expect(series.forecast).toEqual([null, 400, null, 1000]);
    expect(series.target).toEqual([null, null, 1000, null]);
    expect(series.figures.accepted).toEqual([0, 400, null, null]);
  });

  it('carries the figures to a target date already past: they are facts there', () => {
    const series = pledgeChartSeries(entries, {
      targetDate: '2024-06-30',
      forecastDate: null,
      today: '2024-07-01',
    });
    expect(series.labels).toEqual(['2024-01-05', '2024-03-01', '2024-06-30']);
    expect(series.figures.accepted).toEqual([0, 400, 400]);
  });

  it('has neither mark without the dates, and nothing without entries', () => {
    const series = pledgeChartSeries(entries, {
      targetDate: null,
      forecastDate: null,
      today: '2024-12-01',
    });
    expect(series.labels).toEqual(['2024-01-05', '2024-03-01']);
    expect(
      pledgeChartSeries([], { targetDate: '2024-06-30', forecastDate: null, today: '2024-01-01' }),
    ).toMatchObject({
      labels: ['2024-06-30'],
      target: [null],
    });
  });
});

describe(summedHistorySeries.name, () => {
  it("sums several pledges' changes over time, one point per day", () => {
    const series = summedHistorySeries([
      [
        anEntry('2024-01-05T00:00:00Z', { pledged: { before: 0, after: 1000 } }),
        anEntry('2024-02-01T10:00:00Z', { accepted: { before: 0, after: 400 } }),
      ],
      [
        anEntry('2024-01-20T00:00:00Z', { pledged: { before: 0, after: 500 } }),
        anEntry('2024-02-01T08:00:00Z', { accepted: { before: 0, after: 100 } }),
        anEntry('2024-02-10T00:00:00Z', { accepted: { before: 100, after: 80 } }),
      ],
    ]);
    expect(series.labels).toEqual(['2024-01-05', '2024-01-20', '2024-02-01', '2024-02-10']);
    expect(series.figures.pledged).toEqual([1000, 1500, 1500, 1500]);
    expect(series.figures.accepted).toEqual([0, 0, 500, 480]);
    expect(series.figures.shipped).toEqual([null, null, null, null]);
  });
});

describe(etaChanges.name, () => {
  const milestone = (at: string, eta?: string, recordedBy = 'producer:rheinmetall') => ({
    status: 'at-hub',
    at,
    recordedBy,
    recordedAt: at,
    ...(eta === undefined ? {} : { eta }),
  });

  it("lists each revision of the dispatch's estimate, old → new, when and by whom", () => {
    expect(
      etaChanges({
        dispatchEta: '2024-03-10T00:00:00Z',
        milestones: [
          milestone('2024-03-05T00:00:00Z', '2024-03-10T00:00:00Z'),
          milestone('2024-03-06T00:00:00Z'),
          milestone('2024-03-07T00:00:00Z', '2024-03-14T00:00:00Z', 'admin'),
        ],
      }),
    ).toEqual([
      {
        from: '2024-03-10T00:00:00Z',
        to: '2024-03-14T00:00:00Z',
        at: '2024-03-07T00:00:00Z',
        by: 'admin',
      },
    ]);
  });

  it('starts from no estimate when the dispatch gave none', () => {
    expect(
      etaChanges({ milestones: [milestone('2024-03-05T00:00:00Z', '2024-03-09T00:00:00Z')] }),
    ).toEqual([expect.objectContaining({ from: null, to: '2024-03-09T00:00:00Z' })]);
  });

  it('orders milestones by when they happened, as recorded on a tie', () => {
    const late = milestone('2024-03-07T00:00:00Z');
    const early = milestone('2024-03-05T00:00:00+01:00');
    const tie = { ...milestone('2024-03-07T00:00:00Z'), status: 'customs' };
    expect(milestonesInOrder([late, early, tie])).toEqual([early, late, tie]);
  });
});

describe('a pledge page’s listings as of a day', () => {
  const at = (day: string) => `${day}T12:00:00Z`;
  const shipment: ShipmentListing = {
    shipmentId: 'S1',
    quantity: 1000,
    dispatchedAt: at('2024-03-01'),
    producer: 'rheinmetall',
    status: 'delivered',
    lost: 0,
    dispatchEta: at('2024-03-10'),
    eta: at('2024-03-14'),
    delivery: { receivedQuantity: 1000, acceptedQuantity: 990, receivedAt: at('2024-03-15') },
    milestones: [
      {
        status: 'at-hub',
        at: at('2024-03-05'),
        eta: at('2024-03-12'),
        recordedBy: 'producer:rheinmetall',
        recordedAt: at('2024-03-05'),
      },
      {
        status: 'customs',
        at: at('2024-03-08'),
        eta: at('2024-03-14'),
        recordedBy: 'admin',
        recordedAt: at('2024-03-09'),
      },
    ],
  };

  it('shows a shipment as it stood: milestones, ETA and receipt by then, in transit before', () => {
    expect(shipmentsAsOf([shipment], endOfDayUtc('2024-02-29'))).toEqual([]);
    expect(shipmentsAsOf([shipment], endOfDayUtc('2024-03-06'))).toEqual([
      {
        ...shipment,
        status: 'in-transit',
        eta: at('2024-03-12'),
        delivery: null,
        milestones: [shipment.milestones[0]],
      },
    ]);
    expect(shipmentsAsOf([shipment], endOfDayUtc('2024-03-15'))).toEqual([shipment]);
  });

  it('gives the dispatch’s estimate before any milestone, and none when it gave none', () => {
    const [early] = shipmentsAsOf([shipment], endOfDayUtc('2024-03-02'));
    expect(early).toMatchObject({ eta: at('2024-03-10'), milestones: [], status: 'in-transit' });
    const { dispatchEta: _none, ...withoutEstimate } = shipment;
    const [bare] = shipmentsAsOf([withoutEstimate], endOfDayUtc('2024-03-02'));
    expect(bare).not.toHaveProperty('eta');
  });

  it('keeps a lost shipment lost on any day after its dispatch (a loss has no time of its own)', () => {
    const lost = { ...shipment, status: 'lost', lost: 1000, delivery: null };
    expect(shipmentsAsOf([lost], endOfDayUtc('2024-03-02'))[0].status).toBe('lost');
  });

  it('lists the allocations made by the end of the day', () => {
    const allocation = (id: string, day: string): AllocationListing => ({
      allocationId: id,
      lotId: `LOT-${id}`,
      quantity: 100,
      allocatedAt: at(day),
      producer: 'nammo',
      lot: null,
    });
    const made = [allocation('A1', '2024-01-10'), allocation('A2', '2024-02-10')];
    expect(allocationsAsOf(made, endOfDayUtc('2024-01-10'))).toEqual([made[0]]);
    expect(allocationsAsOf(made, endOfDayUtc('2024-02-10'))).toEqual(made);
  });
});

describe('what changed since a date', () => {
  it('compares the figures both reads have, leaving out those not in the view', () => {
    const then = { totals: { pledged: 100, allocated: 10, accepted: 40, outstanding: 60 } };
    const now = { totals: { pledged: 100, accepted: 52_040, outstanding: 48 } };
    expect(figureChanges(then, now)).toEqual([
      { figure: 'accepted', then: 40, now: 52_040, delta: 52_000 },
      { figure: 'outstanding', then: 60, now: 48, delta: -12 },
    ]);
    expect(changeText(figureChanges(then, now), '2024-03-20')).toBe(
      '+52,000 accepted, −12 outstanding since 2024-03-20',
    );
  });

  it('counts a summary absent then as zeros, and reads a pledge value as its own totals', () => {
    expect(figureChanges(undefined, { pledged: 14, accepted: 0, outstanding: 14 })).toEqual([
      { figure: 'pledged', then: 0, now: 14, delta: 14 },
      { figure: 'outstanding', then: 0, now: 14, delta: 14 },
    ]);
    expect(figureChanges({ pledged: 1 }, undefined)).toEqual([]);
    expect(changeText([], '2024-03-20')).toBe('no change since 2024-03-20');
  });

  it('asks for the end of the chosen day, UTC, and refuses what is not a date', () => {
    expect(endOfDayUtc('2024-03-20')).toBe('2024-03-20T23:59:59.999Z');
    expect(() => endOfDayUtc('20.3.2024')).toThrow(RangeError);
    expect(withAsOf('/v1/overview', '2024-03-20')).toBe(
      '/v1/overview?asOf=2024-03-20T23%3A59%3A59.999Z',
    );
    expect(withAsOf('/v1/items/MBT?x=1', '2024-03-20')).toContain('&asOf=');
    expect(withAsOf('/v1/overview', undefined)).toBe('/v1/overview');
  });

  it('lists the entries of events that happened after the end of that day, late reports too', () => {
    const entries = [
      anEntry('2024-03-01T00:00:00Z', { pledged: { before: 0, after: 10 } }),
      anEntry(
        '2024-03-20T23:00:00Z',
        { accepted: { before: 0, after: 4 } },
        '2024-03-22T08:00:00Z',
      ),
      anEntry(
        '2024-03-21T00:00:00Z',
        { accepted: { before: 4, after: 3 } },
        '2024-04-02T08:00:00Z',
      ),
    ];
    expect(entriesSince(entries, '2024-03-20')).toEqual([entries[2]]);
    expect(entriesUntil(entries, '2024-03-20')).toEqual([entries[0], entries[1]]);
    expect(entriesUntil(entries, undefined)).toEqual(entries);
  });

  it('reads as of a date the channels the gateway offers that for', () => {
    expect(
      [
        'overview',
        'donor:DE',
        'item:AMMO-155MM',
        'pledge:p 1',
        'alerts',
        'feed',
        'programme:X',
      ].map(channelPath),
    ).toEqual([
      '/v1/overview',
      '/v1/donors/DE',
      '/v1/items/AMMO-155MM',
      '/v1/pledges/p%201/live',
      undefined,
      undefined,
      undefined,
    ]);
  });
});

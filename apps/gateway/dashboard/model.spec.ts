import { CATALOGUE, DashboardModel } from './model';

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
});

import fc from 'fast-check';
import type { PublicAnnouncement, PublicFact, RecordedPublicFact } from './public-ledger';
import { foldPublicView, proRata } from './public-view';

const AS_OF = '2026-06-15T12:00:00.000Z';

const announcement = (pledgeId: string, extra: Partial<PublicAnnouncement> = {}) => ({
  pledgeId,
  donor: 'DE',
  recipient: 'UA',
  itemCode: 'AMMO-155MM',
  quantity: 100,
  announcedAt: '2026-01-10T09:00:00Z',
  purpose: 'military-aid',
  sourcing: 'stock',
  confidence: 'official',
  ...extra,
});

let recorded = 0;
const at = (fact: PublicFact, recordedMs = ++recorded): RecordedPublicFact => ({
  fact,
  recordedMs,
});
const announced = (pledgeId: string, extra: Partial<PublicAnnouncement> = {}) =>
  at({
    k: 'announced',
    id: `a-${pledgeId}`,
    t: '2026-01-10T09:00:00Z',
    pledge: announcement(pledgeId, extra),
  });
const shipped = (shipmentId: string, pledgeId: string) =>
  at({ k: 'shipped', id: `s-${shipmentId}`, shipmentId, pledgeId });
const accepted = (shipmentId: string, quantity: number, t = '2026-03-05T10:00:00Z', n = 0) =>
  at({ k: 'accepted', id: `r-${shipmentId}-${n}`, t, shipmentId, quantity });

describe('foldPublicView', () => {
  it("counts a corrected shipment once, with its latest correction, at its receipt's month", () => {
    const corrected = (id: string, quantity: number, t: string) =>
      at({ k: 'corrected', id, t, shipmentId: 'sh-1', quantity, reason: 'recount' });
    const facts = [
      announced('p-1'),
      corrected('c-2', 60, '2026-04-02T00:00:00Z'),
      shipped('sh-1', 'p-1'),
      accepted('sh-1', 70, '2026-03-05T10:00:00Z'),
      corrected('c-1', 50, '2026-04-01T00:00:00Z'),
      accepted('sh-2', 5),
    ];
    for (const order of [facts, [...facts].reverse()]) {
      const view = foldPublicView(order, AS_OF);
      expect(view.pledges.map(({ pledgeId, delivered }) => [pledgeId, delivered])).toEqual([
        ['p-1', 60],
      ]);
      expect(view.rows.map(({ month, delivered }) => [month, delivered])).toEqual([
        ['2026-01', 0],
        ['2026-03', 60],
      ]);
    }
  });

  it('answers an empty view for an empty ledger', () => {
    expect(foldPublicView([], AS_OF)).toEqual({
      pledges: [],
      rows: [],
      totals: { pledged: 0, delivered: 0 },
    });
  });

  it('applies amendments in recording order, whatever order the facts come in', () => {
    const facts = [
      announced('p-1', { targetDate: '2026-12-31' }),
      at(
        {
          k: 'amended',
          id: 'm-2',
          t: '2026-02-02T00:00:00Z',
          pledgeId: 'p-1',
          quantity: 80,
          reason: 'r',
        },
        300,
      ),
      at(
        {
          k: 'amended',
          id: 'm-1',
          t: '2026-02-01T00:00:00Z',
          pledgeId: 'p-1',
          quantity: 60,
          targetDate: '2027-01-31',
          reason: 'r',
        },
        200,
      ),
    ];
    const [pledge] = foldPublicView(facts, AS_OF).pledges;
    expect(pledge).toMatchObject({ quantity: 80, targetDate: '2027-01-31', status: 'announced' });
  });

  it('scales the announced value by the amended quantity', () => {
    const facts = [
      announced('p-1', { valueCents: 1_000_001 }),
      at({
        k: 'amended',
        id: 'm-1',
        t: '2026-02-01T00:00:00Z',
        pledgeId: 'p-1',
        quantity: 50,
        reason: 'r',
      }),
    ];
    const view = foldPublicView(facts, AS_OF);
    expect(view.pledges[0].valueCents).toBe(500_001);
    expect(view.rows[0]).toMatchObject({ pledged: 50, pledgedValueCents: 500_001 });
  });

  it('counts receipts of linked shipments, the link before or after them', () => {
    const view = foldPublicView(
      [
        announced('p-1', { valueCents: 300 }),
        accepted('sh-1', 30),
        shipped('sh-1', 'p-1'),
        shipped('sh-2', 'p-1'),
        accepted('sh-2', 20, '2026-04-01T00:00:00Z'),
        accepted('sh-unknown', 99),
      ],
      AS_OF,
    );
    expect(view.pledges[0]).toMatchObject({ delivered: 50, status: 'partially-delivered' });
    expect(view.rows).toEqual([
      {
        donor: 'DE',
        itemCode: 'AMMO-155MM',
        month: '2026-01',
        pledged: 100,
        pledgedValueCents: 300,
        delivered: 0,
        deliveredValueCents: 0,
      },
      {
        donor: 'DE',
        itemCode: 'AMMO-155MM',
        month: '2026-03',
        pledged: 0,
        pledgedValueCents: 0,
        delivered: 30,
        deliveredValueCents: 90,
      },
      {
        donor: 'DE',
        itemCode: 'AMMO-155MM',
        month: '2026-04',
        pledged: 0,
        pledgedValueCents: 0,
        delivered: 20,
        deliveredValueCents: 60,
      },
    ]);
    expect(view.totals).toEqual({ pledged: 100, delivered: 50 });
  });

  it.each([
    ['delivered once the quantity is accepted', 100, undefined, 'delivered'],
    ['partially delivered, overdue or not', 1, '2026-01-31', 'partially-delivered'],
    [
      'overdue: a target date before the date of asOf, nothing delivered',
      0,
      '2026-06-14',
      'overdue',
    ],
    ['announced on its target date', 0, '2026-06-15', 'announced'],
  ])('is %s', (_label, delivered, targetDate, status) => {
    const facts = [announced('p-1', targetDate ? { targetDate } : {}), shipped('sh-1', 'p-1')];
    if (delivered > 0) facts.push(accepted('sh-1', delivered));
    expect(foldPublicView(facts, AS_OF).pledges[0].status).toBe(status);
  });

  it('shows a cancellation with its time and reason, and leaves it out of pledged', () => {
    const view = foldPublicView(
      [
        announced('p-1'),
        at({
          k: 'cancelled',
          id: 'c-1',
          t: '2026-02-01T00:00:00Z',
          pledgeId: 'p-1',
          reason: 'withdrawn',
        }),
        announced('p-2', { donor: 'FR', quantity: 7 }),
      ],
      AS_OF,
    );
    expect(
      view.pledges.map((pledge) => [pledge.pledgeId, pledge.status, pledge.cancelled]),
    ).toEqual([
      ['p-1', 'cancelled', { at: '2026-02-01T00:00:00Z', reason: 'withdrawn' }],
      ['p-2', 'announced', undefined],
    ]);
    expect(view.rows.map((row) => [row.donor, row.pledged])).toEqual([['FR', 7]]);
  });

  it('answers only the public fields of an announcement, whatever else the entry carries', () => {
    const entry = { ...announcement('p-1'), facility: 'Unterlüß', reference: 'C-1' };
    const view = foldPublicView([announced('p-1', entry)], AS_OF);
    expect(Object.keys(view.pledges[0]).sort()).toEqual(
      [...Object.keys(announcement('p-1')), 'status', 'delivered'].sort(),
    );
  });

  it('sorts rows by donor, item and month, months in UTC', () => {
    const view = foldPublicView(
      [
        announced('p-1', {
          donor: 'FR',
          itemCode: 'MBT',
          announcedAt: '2026-02-01T00:30:00+01:00',
        }),
        announced('p-2', { donor: 'FR', itemCode: 'AMMO-155MM' }),
        announced('p-3', { donor: 'DE', itemCode: 'MBT' }),
      ],
      AS_OF,
    );
    expect(view.rows.map((row) => `${row.donor} ${row.itemCode} ${row.month}`)).toEqual([
      'DE MBT 2026-01',
      'FR AMMO-155MM 2026-01',
      'FR MBT 2026-01',
    ]);
  });

  it('rounds pro rata half up, exactly past 2^53', () => {
    expect(proRata(10_000_000_000_000, 999_999_999, 1_000_000_000)).toBe(9_999_999_990_000);
    expect(proRata(3, 1, 2)).toBe(2);
    expect(proRata(1, 1, 3)).toBe(0);
  });

  describe('properties', () => {
    const pledgeIds = ['p-1', 'p-2', 'p-3', 'p-4'];
    const shipmentIds = ['sh-1', 'sh-2', 'sh-3', 'sh-4', 'sh-5'];
    const month = fc
      .integer({ min: 1, max: 12 })
      .map((m) => `2026-${String(m).padStart(2, '0')}-10T00:00:00Z`);
    const pledgeFacts = fc.uniqueArray(
      fc.record({
        pledgeId: fc.constantFrom(...pledgeIds),
        donor: fc.constantFrom('DE', 'FR'),
        itemCode: fc.constantFrom('AMMO-155MM', 'MBT'),
        quantity: fc.integer({ min: 1, max: 1000 }),
        valueCents: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
        announcedAt: month,
        amendedTo: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
        cancelled: fc.boolean(),
      }),
      { selector: (pledge) => pledge.pledgeId },
    );
    const deliveries = fc.array(
      fc.record({
        shipmentId: fc.constantFrom(...shipmentIds),
        quantity: fc.integer({ min: 1, max: 500 }),
        t: month,
      }),
      { maxLength: 12 },
    );
    const links = fc.uniqueArray(
      fc.record({
        shipmentId: fc.constantFrom(...shipmentIds),
        pledgeId: fc.constantFrom(...pledgeIds),
      }),
      { selector: (link) => link.shipmentId },
    );

    const ledger = fc.tuple(pledgeFacts, links, deliveries).map(([pledges, linked, received]) => {
      const facts: PublicFact[] = [];
      for (const { amendedTo, cancelled, valueCents, ...pledge } of pledges) {
        facts.push({
          k: 'announced',
          id: `a-${pledge.pledgeId}`,
          t: pledge.announcedAt,
          pledge: announcement(pledge.pledgeId, {
            ...pledge,
            ...(valueCents === undefined ? {} : { valueCents }),
          }),
        });
        if (amendedTo !== undefined) {
          facts.push({
            k: 'amended',
            id: `m-${pledge.pledgeId}`,
            t: pledge.announcedAt,
            pledgeId: pledge.pledgeId,
            quantity: amendedTo,
            reason: 'r',
          });
        }
        if (cancelled) {
          facts.push({
            k: 'cancelled',
            id: `c-${pledge.pledgeId}`,
            t: pledge.announcedAt,
            pledgeId: pledge.pledgeId,
            reason: 'r',
          });
        }
      }
      for (const link of linked) facts.push({ k: 'shipped', id: `s-${link.shipmentId}`, ...link });
      received.forEach((receipt, n) => facts.push({ k: 'accepted', id: `r-${n}`, ...receipt }));
      return facts;
    });

    /** Recording times that keep each pledge's own facts in order and move the rest anywhere. */
    const recordings = (facts: PublicFact[], shuffle: number[]): RecordedPublicFact[] =>
      facts.map((fact, index) =>
        fact.k === 'shipped' || fact.k === 'accepted'
          ? { fact, recordedMs: shuffle[index % shuffle.length] }
          : { fact, recordedMs: index * 1000 },
      );

    it('does not depend on the order of shipment links and receipts', () => {
      const times = fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 30 });
      fc.assert(
        fc.property(ledger, times, times, (facts, one, other) => {
          expect(foldPublicView(recordings(facts, one), AS_OF)).toEqual(
            foldPublicView(recordings(facts, other), AS_OF),
          );
        }),
      );
    });

    it('sums its rows to the pledges: pledged of those not cancelled, delivered of all', () => {
      fc.assert(
        fc.property(ledger, (facts) => {
          const view = foldPublicView(recordings(facts, [0]), AS_OF);
          const live = view.pledges.filter((pledge) => pledge.status !== 'cancelled');
          const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
          expect(view.totals.pledged).toBe(sum(live.map((pledge) => pledge.quantity)));
          expect(view.totals.delivered).toBe(sum(view.pledges.map((pledge) => pledge.delivered)));
          expect(sum(view.rows.map((row) => row.pledgedValueCents))).toBe(
            sum(live.map((pledge) => pledge.valueCents ?? 0)),
          );
          expect(view.totals).toEqual({
            pledged: sum(view.rows.map((row) => row.pledged)),
            delivered: sum(view.rows.map((row) => row.delivered)),
          });
        }),
      );
    });
  });
});

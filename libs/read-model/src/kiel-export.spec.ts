import { euro, kielRows } from './kiel-export';
import type { PublicFact } from './public-ledger';
import { PublicFactSorter } from './public-view';

const announced = (pledgeId: string, extra: Record<string, unknown> = {}): PublicFact => ({
  k: 'announced',
  id: `a-${pledgeId}`,
  t: '2026-01-10T09:00:00Z',
  pledge: {
    pledgeId,
    donor: 'DE',
    recipient: 'UA',
    itemCode: 'AMMO-155MM',
    quantity: 100,
    valueCents: 100_000,
    announcedAt: '2026-01-10T09:00:00Z',
    purpose: 'aid',
    sourcing: 'stock',
    confidence: 'official',
    ...extra,
  },
});

function rowsOf(facts: readonly PublicFact[]) {
  const sorter = new PublicFactSorter();
  for (const fact of facts) sorter.add(fact);
  return [...kielRows(sorter.pledges('2026-06-01T00:00:00Z'))];
}

describe('kielRows', () => {
  it('writes euro exactly, two decimals', () => {
    expect([euro(0), euro(5), euro(123_456), euro(10 ** 13 + 1)]).toEqual([
      '0.00',
      '0.05',
      '1234.56',
      '100000000000.01',
    ]);
  });

  it('has one row per donor × recipient × item × month × measure, commitments amended, cancelled ones left out', () => {
    const rows = rowsOf([
      announced('p-1'),
      announced('p-2', { quantity: 50, valueCents: undefined }),
      announced('p-3', { recipient: 'PL' }),
      announced('p-4', { announcedAt: '2026-02-01T00:00:00Z' }),
      {
        k: 'amended',
        id: 'm-1',
        t: '2026-01-20T00:00:00Z',
        pledgeId: 'p-1',
        quantity: 80,
        reason: 'r',
      },
      { k: 'cancelled', id: 'c-4', t: '2026-02-02T00:00:00Z', pledgeId: 'p-4', reason: 'r' },
      { k: 'shipped', id: 's-1', shipmentId: 'sh-1', pledgeId: 'p-1' },
      { k: 'accepted', id: 'r-1', t: '2026-03-05T00:00:00Z', shipmentId: 'sh-1', quantity: 40 },
    ]);
    expect(rows).toEqual([
      {
        donor: 'DE',
        recipient: 'PL',
        itemCode: 'AMMO-155MM',
        month: '2026-01',
        measure: 'Commitment',
        quantity: 100,
        valueEur: '1000.00',
      },
      {
        donor: 'DE',
        recipient: 'UA',
        itemCode: 'AMMO-155MM',
        month: '2026-01',
        measure: 'Commitment',
        quantity: 130,
        valueEur: '800.00',
      },
      {
        donor: 'DE',
        recipient: 'UA',
        itemCode: 'AMMO-155MM',
        month: '2026-03',
        measure: 'Allocation',
        quantity: 40,
        valueEur: '400.00',
      },
    ]);
  });
});

import type { PublicFact } from './public-ledger';
import { deliveredByMonth, FoldedPublicPledges, monthOf, proRata } from './public-view';

/**
 * The export in the layout aid analysts load (the Kiel Institute's Ukraine Support Tracker):
 * one row per donor × recipient × item × month × measure. `Commitment` is what was pledged
 * (the pledge's quantity after its amendments, in the month it was announced; cancelled pledges
 * commit nothing), `Allocation` what was delivered: the recipient-confirmed accepted quantity,
 * in the month of the receipt (a corrected receipt counts with its correction). Values are in
 * euro with two decimals, from the pledge's `valueCents` pro rata: a commitment at the amended
 * over the announced quantity, a delivery at the announced value per unit; no value announced
 * is an empty cell.
 */
export const KIEL_COLUMNS = [
  'donor',
  'recipient',
  'itemCode',
  'month',
  'measure',
  'quantity',
  'valueEur',
] as const;

export type KielMeasure = 'Commitment' | 'Allocation';

export interface KielRow {
  readonly donor: string;
  readonly recipient: string;
  readonly itemCode: string;
  /** `YYYY-MM`, UTC. */
  readonly month: string;
  readonly measure: KielMeasure;
  readonly quantity: number;
  /** Euro with two decimals, e.g. `1234.50`; empty when no value was announced. */
  readonly valueEur: string;
}

/** `123456` cents as `1234.56`: exact, whatever the size. */
export function euro(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const whole = BigInt(Math.abs(cents));
  return `${sign}${whole / 100n}.${String(whole % 100n).padStart(2, '0')}`;
}

/**
 * When a public fact happened, for `asOf`: its event time; a shipment's link to its pledge has
 * none (it only says where a receipt counts) and is always kept.
 */
export function publicFactTime(fact: PublicFact): string | undefined {
  return fact.k === 'shipped' ? undefined : fact.t;
}

/**
 * The rows, ordered by donor, recipient, item, month and measure (Commitment first), produced
 * one group of pledges (donor × recipient × item) at a time: only that group's rows are held.
 */
export function* kielRows(folded: FoldedPublicPledges): Generator<KielRow> {
  const groups = new Map<string, FoldedPublicPledges['pledges'][number][]>();
  for (const pledge of folded.pledges) {
    const key = [pledge.donor, pledge.recipient, pledge.itemCode].join('\u0000');
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [pledge]);
    else group.push(pledge);
  }
  for (const key of [...groups.keys()].sort(compareText)) {
    const months = new Map<string, Record<KielMeasure, { quantity: number; cents?: number }>>();
    const cell = (month: string, measure: KielMeasure) => {
      let row = months.get(month);
      if (row === undefined) {
        row = { Commitment: { quantity: 0 }, Allocation: { quantity: 0 } };
        months.set(month, row);
      }
      return row[measure];
    };
    const add = (target: { quantity: number; cents?: number }, q: number, cents?: number) => {
      target.quantity += q;
      if (cents !== undefined) target.cents = (target.cents ?? 0) + cents;
    };
    const pledges = groups.get(key)!;
    for (const pledge of pledges) {
      if (pledge.status !== 'cancelled')
        add(cell(monthOf(pledge.announcedAt), 'Commitment'), pledge.quantity, pledge.valueCents);
      const original = folded.announced.get(pledge.pledgeId)!;
      for (const [month, quantity] of deliveredByMonth(
        folded.receipts.get(pledge.pledgeId) ?? [],
      )) {
        const cents =
          original.valueCents === undefined
            ? undefined
            : proRata(original.valueCents, quantity, original.quantity);
        add(cell(month, 'Allocation'), quantity, cents);
      }
    }
    const { donor, recipient, itemCode } = pledges[0];
    for (const month of [...months.keys()].sort(compareText)) {
      for (const measure of ['Commitment', 'Allocation'] as const) {
        const { quantity, cents } = months.get(month)![measure];
        if (quantity === 0 && (cents ?? 0) === 0) continue;
        const valueEur = cents === undefined ? '' : euro(cents);
        yield { donor, recipient, itemCode, month, measure, quantity, valueEur };
      }
    }
  }
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { PledgeStatus } from './values';

/**
 * Field names of the aggregate hashes (`agg:overview`, `agg:donor:<CC>`, `agg:item:<CODE>`).
 * Every numeric field is kept by HINCRBY and deleted when it reaches zero, so a model built in
 * any order has exactly the same fields; a missing field reads as zero.
 */
export const TOTAL_FIELDS = [
  'pledged',
  'allocated',
  'shipped',
  'received',
  'accepted',
  'rejected',
  'lost',
  'outstanding',
] as const;
export type TotalField = (typeof TOTAL_FIELDS)[number];

/** One pledge's share of every summary it belongs to. */
export interface PledgeContribution {
  readonly totals: Readonly<Record<TotalField, number>>;
  readonly status: PledgeStatus;
}

export const PLEDGES_FIELD = 'pledges';
export const statusField = (status: PledgeStatus): string => `n:${status}`;
/** A donor × item field: `x:<ITEM>:<field>` in a donor hash, `x:<CC>:<field>` in an item hash. */
export const crossField = (code: string, field: string): string => `x:${code}:${field}`;
export const CAPACITY_FIELD = 'cap';
export const capacityBasisField = (basis: string): string => `cap:${basis}`;
export const PRODUCED_FIELD = 'produced';
export const stockpileField = (nation: string, part: 'q' | 'min' | 'at'): string =>
  `st:${nation}:${part}`;

export const overviewKey = (): string => 'agg:overview';
export const donorKey = (donor: string): string => `agg:donor:${donor}`;
export const itemKey = (itemCode: string): string => `agg:item:${itemCode}`;

/** A change of one aggregate field. */
export interface Increment {
  readonly key: string;
  readonly field: string;
  readonly delta: number;
}

/** The summary fields (totals, `pledges`, `n:<status>`) of a contribution, signed. */
function summaryFields(contribution: PledgeContribution, sign: 1 | -1): Map<string, number> {
  const fields = new Map<string, number>();
  for (const field of TOTAL_FIELDS) fields.set(field, sign * contribution.totals[field]);
  fields.set(PLEDGES_FIELD, sign);
  fields.set(statusField(contribution.status), sign);
  return fields;
}

/**
 * The increments that move a pledge's share of the overview, its donor, its item and the
 * donor × item cells from `before` to `after` (either may be absent: a pledge not announced).
 */
export function contributionIncrements(
  before: { donor: string; itemCode: string; contribution: PledgeContribution } | undefined,
  after: { donor: string; itemCode: string; contribution: PledgeContribution } | undefined,
): Increment[] {
  const byKey = new Map<string, number>();
  const add = (key: string, field: string, delta: number) => {
    if (delta === 0) return;
    const id = `${key}\u0000${field}`;
    byKey.set(id, (byKey.get(id) ?? 0) + delta);
  };
  for (const [side, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    if (side === undefined) continue;
    for (const [field, delta] of summaryFields(side.contribution, sign)) {
      add(overviewKey(), field, delta);
      add(donorKey(side.donor), field, delta);
      add(donorKey(side.donor), crossField(side.itemCode, field), delta);
      add(itemKey(side.itemCode), field, delta);
      add(itemKey(side.itemCode), crossField(side.donor, field), delta);
    }
  }
  const increments: Increment[] = [];
  for (const [id, delta] of byKey) {
    if (delta === 0) continue;
    const [key, field] = id.split('\u0000');
    increments.push({ key, field, delta });
  }
  return increments;
}

import { PledgeStatus } from './values';

/**
 * Field names of the aggregate hashes (`agg:overview`, `agg:donor:<CC>`, `agg:item:<CODE>`,
 * `agg:programme:<CODE>`).
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

/**
 * Largest magnitude a counter of the read model may reach: 2^53 − 1. Redis keeps counters as
 * int64 (HINCRBY), but Lua reads them as doubles and JavaScript as numbers, both exact only to
 * 2^53 − 1. With quantities ≤ 10^9 per event (MAX_QUANTITY), it takes 9,007,199 events at the
 * bound on one counter to get there; the write step refuses any increment that would pass it
 * (see APPLY_LUA and {@link CounterCeilingError}) rather than store a rounded sum.
 */
export const COUNTER_CEILING = Number.MAX_SAFE_INTEGER;

/**
 * The totals a programme's hash keeps: its public ones only (README, "Who sees what": totals of
 * pledged and delivered per programme are public), so the hash holds nothing another viewer may
 * not see.
 */
export const PROGRAMME_TOTAL_FIELDS = ['pledged', 'accepted', 'outstanding'] as const;

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
/** An aid programme's hash: its pledges' public totals, its monthly series, its declaration. */
export const programmeKey = (programmeId: string): string => `agg:programme:${programmeId}`;
/**
 * A month of a programme's series: `m:<YYYY-MM>:p` pledged by the pledges announced that month
 * (UTC), `m:<YYYY-MM>:d` accepted by receipts of that month; counted like every other field.
 */
export const programmeMonthField = (month: string, measure: 'p' | 'd'): string =>
  `m:${month}:${measure}`;
/** A programme's declaration, set (not counted) by the latest declaration: `d:<part>`. */
export const programmeDeclarationField = (
  part: 'name' | 'item' | 'target' | 'deadline' | 'url' | 'at',
): string => `d:${part}`;

/** A change of one aggregate field. */
export interface Increment {
  readonly key: string;
  readonly field: string;
  readonly delta: number;
}

type Side = {
  donor: string;
  itemCode: string;
  /** The programme the pledge counts towards, if any. */
  programme?: string | null;
  contribution: PledgeContribution;
};

/** One hash a pledge counts in, and the prefix of its fields there (donor × item cells). */
interface Target {
  readonly key: string;
  readonly prefix: string;
  readonly totals: readonly TotalField[];
  /** Summary field → signed quantity, summed over both sides. */
  readonly deltas: Map<string, number>;
}

/** The hashes and field prefixes a pledge of `side` counts in, and the totals kept there. */
function targetsOf(side: Side): [string, string, readonly TotalField[]][] {
  const targets: [string, string, readonly TotalField[]][] = [
    [overviewKey(), '', TOTAL_FIELDS],
    [donorKey(side.donor), '', TOTAL_FIELDS],
    [donorKey(side.donor), crossField(side.itemCode, ''), TOTAL_FIELDS],
    [itemKey(side.itemCode), '', TOTAL_FIELDS],
    [itemKey(side.itemCode), crossField(side.donor, ''), TOTAL_FIELDS],
  ];
  if (side.programme) targets.push([programmeKey(side.programme), '', PROGRAMME_TOTAL_FIELDS]);
  return targets;
}

/** Adds a contribution's summary fields (totals, `pledges`, `n:<status>`), signed. */
function addSummary(
  deltas: Map<string, number>,
  contribution: PledgeContribution,
  sign: number,
  totals: readonly TotalField[],
) {
  const add = (field: string, quantity: number) =>
    deltas.set(field, (deltas.get(field) ?? 0) + sign * quantity);
  for (const field of totals) add(field, contribution.totals[field]);
  add(PLEDGES_FIELD, 1);
  add(statusField(contribution.status), 1);
}

/**
 * The increments that move a pledge's share of the overview, its donor, its item, the
 * donor × item cells and its programme (public totals only) from `before` to `after` (either may be absent: a pledge not announced).
 * Both sides are summed per hash first: a pledge that keeps its donor and item only moves the
 * fields that changed, without building a field name for the others.
 */
export function contributionIncrements(
  before: Side | undefined,
  after: Side | undefined,
): Increment[] {
  const targets = new Map<string, Target>();
  for (const [side, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    if (side === undefined) continue;
    for (const [key, prefix, totals] of targetsOf(side)) {
      const id = `${key}\u0000${prefix}`;
      let target = targets.get(id);
      if (target === undefined) {
        target = { key, prefix, totals, deltas: new Map() };
        targets.set(id, target);
      }
      addSummary(target.deltas, side.contribution, sign, target.totals);
    }
  }
  const increments: Increment[] = [];
  for (const { key, prefix, deltas } of targets.values()) {
    for (const [field, delta] of deltas)
      if (delta !== 0) increments.push({ key, field: prefix + field, delta });
  }
  return increments;
}

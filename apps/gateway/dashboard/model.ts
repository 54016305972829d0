import type {
  AlertsValue,
  AlertValue,
  DonorValue,
  FeedEntry,
  FeedValue,
  ItemValue,
  OverviewValue,
  PledgeStatus,
  PledgeSummary,
  PledgeValue,
} from '@tracker/read-model';

/** Items of the catalogue (DESIGN.md §3) the dashboard watches from the start. */
export const CATALOGUE = [
  'AMMO-155MM',
  'AMMO-152MM',
  'AMMO-120MM-MORTAR',
  'SAM-IRIS-T',
  'SAM-PATRIOT-PAC3',
  'IFV',
  'MBT',
];

/** Most pledge channels the dashboard follows at once. */
export const MAX_PLEDGES = 200;

/** Pledged → allocated → shipped → accepted of one item or donor. */
export interface FlowRow {
  readonly label: string;
  readonly pledged: number;
  readonly allocated: number;
  readonly shipped: number;
  readonly accepted: number;
}

/** Declared capacity and months to clear are estimates; production and demand are facts. */
export interface CapacityRow {
  readonly item: string;
  readonly capacityPerMonth: number;
  readonly producedPerMonth: number;
  readonly outstandingDemand: number;
  readonly monthsToClear: number | null;
}

export interface PledgeRow {
  readonly id: string;
  readonly donor: string;
  readonly item: string;
  readonly status: PledgeStatus;
  readonly pledged: number;
  readonly accepted: number;
  readonly outstanding: number;
  readonly targetDate: string | null;
  /** An estimate (forecast), null when nothing feeds the pledge. */
  readonly forecastDate: string | null;
  readonly daysLate: number | null;
}

export interface StockpileRow {
  readonly item: string;
  readonly nation: string;
  readonly quantity: number;
  readonly minimum: number | null;
  readonly belowMinimum: boolean;
  readonly reportedAt: string;
}

export type PledgeColumn = keyof PledgeRow;

export interface PledgeQuery {
  readonly text: string;
  /** '' for every status. */
  readonly status: PledgeStatus | '';
  readonly sortBy: PledgeColumn;
  readonly descending: boolean;
}

function flowOf(label: string, summary: PledgeSummary): FlowRow {
  const { pledged, allocated, shipped, accepted } = summary.totals;
  return { label, pledged, allocated, shipped, accepted };
}

type Sortable = string | number | null;

/** In either direction, blanks last. */
function compare(a: Sortable, b: Sortable, descending = false): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const order =
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
  return descending ? -order : order;
}

/**
 * The dashboard's picture, derived from the latest value of each channel: which channels to
 * follow next (items and donors it learns of, pledges the feed mentions), and the rows of every
 * panel. No DOM here, so it is tested without a browser.
 */
export class DashboardModel {
  constructor(private readonly values: ReadonlyMap<string, unknown>) {}

  private value<T>(channel: string): T | undefined {
    return (this.values.get(channel) ?? undefined) as T | undefined;
  }

  get overview(): OverviewValue | undefined {
    return this.value<OverviewValue>('overview');
  }

  /** Items of the catalogue and any the values mention, sorted. */
  items(): string[] {
    const items = new Set(CATALOGUE);
    for (const [channel, value] of this.values) {
      if (channel.startsWith('item:')) items.add(channel.slice(5));
      if (channel.startsWith('donor:') && value) {
        for (const item of Object.keys((value as DonorValue).items)) items.add(item);
      }
    }
    return [...items].sort();
  }

  /** Donors the item values mention, and donor channels already followed. */
  donors(): string[] {
    const donors = new Set<string>();
    for (const [channel, value] of this.values) {
      if (channel.startsWith('donor:')) donors.add(channel.slice(6));
      if (channel.startsWith('item:') && value) {
        for (const donor of Object.keys((value as ItemValue).donors)) donors.add(donor);
      }
    }
    return [...donors].sort();
  }

  /** Pledge ids the feed mentions (the subject of a pledge event). */
  pledgesInFeed(): string[] {
    const events = this.value<FeedValue>('feed')?.events ?? [];
    return events.filter((event) => event.type.startsWith('tracker.pledge.')).map((e) => e.subject);
  }

  /** Every channel the dashboard wants, given what it knows; `refused` ones are left out. */
  wantedChannels(pledgeIds: Iterable<string>, refused: ReadonlySet<string>): string[] {
    const pledges = [...new Set([...pledgeIds, ...this.pledgesInFeed()])].slice(0, MAX_PLEDGES);
    return [
      'overview',
      'alerts',
      'feed',
      ...this.items().map((item) => `item:${item}`),
      ...this.donors().map((donor) => `donor:${donor}`),
      ...pledges.map((id) => `pledge:${id}`),
    ].filter((channel) => !refused.has(channel));
  }

  flowByItem(): FlowRow[] {
    return this.items()
      .map((item) => this.value<ItemValue>(`item:${item}`))
      .filter((value): value is ItemValue => value !== undefined && value.pledges > 0)
      .map((value) => flowOf(value.itemCode, value));
  }

  flowByDonor(): FlowRow[] {
    const rows = new Map<string, FlowRow>();
    for (const donor of this.donors()) {
      const value = this.value<DonorValue>(`donor:${donor}`);
      if (value) rows.set(donor, flowOf(donor, value));
    }
    // Donors whose own channel a token may not read still show, from the items' breakdowns.
    for (const item of this.items()) {
      const value = this.value<ItemValue>(`item:${item}`);
      for (const [donor, summary] of Object.entries(value?.donors ?? {})) {
        if (this.values.has(`donor:${donor}`)) continue;
        const seen = rows.get(donor);
        const add = flowOf(donor, summary);
        rows.set(
          donor,
          seen
            ? {
                label: donor,
                pledged: seen.pledged + add.pledged,
                allocated: seen.allocated + add.allocated,
                shipped: seen.shipped + add.shipped,
                accepted: seen.accepted + add.accepted,
              }
            : add,
        );
      }
    }
    return [...rows.values()].filter((row) => row.pledged > 0);
  }

  capacityVsDemand(): CapacityRow[] {
    return this.items()
      .map((item) => this.value<ItemValue>(`item:${item}`))
      .filter((value): value is ItemValue => value !== undefined)
      .filter((value) => value.outstandingDemand > 0 || value.capacity.unitsPerMonth > 0)
      .map((value) => ({
        item: value.itemCode,
        capacityPerMonth: value.capacity.unitsPerMonth,
        producedPerMonth: value.producedPerMonth,
        outstandingDemand: value.outstandingDemand,
        monthsToClear: value.monthsToClear.months,
      }));
  }

  pledgeRows(query: PledgeQuery): PledgeRow[] {
    const text = query.text.trim().toLowerCase();
    const rows: PledgeRow[] = [];
    for (const [channel, value] of this.values) {
      if (!channel.startsWith('pledge:') || !value) continue;
      const pledge = value as PledgeValue;
      rows.push({
        id: pledge.pledgeId,
        donor: pledge.donor,
        item: pledge.itemCode,
        status: pledge.status,
        pledged: pledge.pledged,
        accepted: pledge.accepted,
        outstanding: pledge.outstanding,
        targetDate: pledge.targetDate ?? null,
        forecastDate: pledge.forecast?.completionDate ?? null,
        daysLate: pledge.daysLate ?? null,
      });
    }
    return rows
      .filter((row) => query.status === '' || row.status === query.status)
      .filter(
        (row) =>
          text === '' || [row.id, row.donor, row.item].some((f) => f.toLowerCase().includes(text)),
      )
      .sort(
        (a, b) =>
          compare(a[query.sortBy], b[query.sortBy], query.descending) || compare(a.id, b.id),
      );
  }

  feed(): readonly FeedEntry[] {
    return this.value<FeedValue>('feed')?.events ?? [];
  }

  alerts(): readonly AlertValue[] {
    return this.value<AlertsValue>('alerts')?.open ?? [];
  }

  stockpiles(): StockpileRow[] {
    const rows: StockpileRow[] = [];
    for (const item of this.items()) {
      const value = this.value<ItemValue>(`item:${item}`);
      for (const [nation, level] of Object.entries(value?.stockpiles ?? {})) {
        rows.push({
          item,
          nation,
          quantity: level.quantity,
          minimum: level.minimumRequired,
          belowMinimum: level.belowMinimum,
          reportedAt: level.reportedAt,
        });
      }
    }
    return rows;
  }
}

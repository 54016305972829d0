import type {
  AlertsValue,
  AlertValue,
  DeliveryTotals,
  DonorValue,
  FeedEntry,
  FeedValue,
  ItemValue,
  OverviewValue,
  PledgeHistoryEntry,
  PledgeStatus,
  PledgeSummary,
  PledgeValue,
  ProgrammeValue,
  PublicDonorValue,
  PublicItemValue,
  PublicOverviewValue,
  PublicPledgeValue,
  PublicSummary,
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

/**
 * A channel's value as the viewer gets it: whole, or its public part (`view: 'public'`), which
 * leaves out operations (allocated, shipped, lost, forecasts), production and other nations'
 * stockpiles (libs/read-model/src/viewer-scope.ts).
 */
export type Overview = OverviewValue | PublicOverviewValue;
type Donor = DonorValue | PublicDonorValue;
type Item = ItemValue | PublicItemValue;
type Pledge = PledgeValue | PublicPledgeValue;
type Summary = PledgeSummary | PublicSummary;

/** Pledged → allocated → shipped → accepted of one item or donor; null: not in the view. */
export interface FlowRow {
  readonly label: string;
  readonly pledged: number;
  readonly allocated: number | null;
  readonly shipped: number | null;
  readonly accepted: number;
}

/** The stages of a {@link FlowRow} drawn as a share of pledged. */
export const FLOW_STAGES = ['allocated', 'shipped', 'accepted'] as const;
export type FlowStage = (typeof FLOW_STAGES)[number];

/** The stages some row has, those the viewer sees; every stage while there are no rows. */
export function flowStages(rows: readonly FlowRow[]): FlowStage[] {
  if (rows.length === 0) return [...FLOW_STAGES];
  return FLOW_STAGES.filter((stage) => rows.some((row) => row[stage] !== null));
}

/** Declared capacity and months to clear are estimates; production and demand are facts. */
export interface CapacityRow {
  readonly item: string;
  readonly capacityPerMonth: number;
  /** null when production is not in the viewer's view. */
  readonly producedPerMonth: number | null;
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
  /** An estimate (forecast), null when nothing feeds the pledge or it is not in the view. */
  readonly forecastDate: string | null;
  readonly daysLate: number | null;
  /** `public`: the viewer sees the pledge as announced, not its operations. */
  readonly view: 'full' | 'public';
}

export interface StockpileRow {
  readonly item: string;
  readonly nation: string;
  readonly quantity: number;
  readonly minimum: number | null;
  readonly belowMinimum: boolean;
  readonly reportedAt: string;
}

export type PledgeColumn = Exclude<keyof PledgeRow, 'view'>;

/** The pledge table's columns, in order. */
export const PLEDGE_COLUMNS: readonly PledgeColumn[] = [
  'id',
  'donor',
  'item',
  'status',
  'pledged',
  'accepted',
  'outstanding',
  'targetDate',
  'forecastDate',
  'daysLate',
];

export interface PledgeQuery {
  readonly text: string;
  /** '' for every status. */
  readonly status: PledgeStatus | '';
  readonly sortBy: PledgeColumn;
  readonly descending: boolean;
}

function flowOf(label: string, summary: Summary): FlowRow {
  const { pledged, allocated, shipped, accepted } = summary.totals as Partial<DeliveryTotals> &
    Summary['totals'];
  return { label, pledged, allocated: allocated ?? null, shipped: shipped ?? null, accepted };
}

/** A sum of two figures, null when either is not in the view. */
function plus(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

/** True for a value the viewer gets whole. */
const isWhole = (value: object) => (value as { view?: unknown }).view !== 'public';

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

  get overview(): Overview | undefined {
    return this.value<Overview>('overview');
  }

  /** Items of the catalogue and any the values mention, sorted. */
  items(): string[] {
    const items = new Set(CATALOGUE);
    for (const [channel, value] of this.values) {
      if (channel.startsWith('item:')) items.add(channel.slice(5));
      if (channel.startsWith('donor:') && value) {
        for (const item of Object.keys((value as Donor).items)) items.add(item);
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
        for (const donor of Object.keys((value as Item).donors)) donors.add(donor);
      }
    }
    return [...donors].sort();
  }

  /**
   * Programme codes the pledges name, the `listed` ones (declared, from the system of record)
   * and programme channels already followed, sorted.
   */
  programmes(listed: Iterable<string> = []): string[] {
    const codes = new Set<string>(listed);
    for (const [channel, value] of this.values) {
      if (channel.startsWith('programme:')) codes.add(channel.slice(10));
      if (channel.startsWith('pledge:') && value) {
        const programme = (value as { programme?: string | null }).programme;
        if (programme) codes.add(programme);
      }
    }
    return [...codes].sort();
  }

  /** The programmes' values that arrived, in code order. */
  programmeValues(): ProgrammeValue[] {
    return this.programmes()
      .map((code) => this.value<ProgrammeValue>(`programme:${code}`))
      .filter((value): value is ProgrammeValue => value !== undefined);
  }

  /** Pledge ids the feed mentions (the subject of a pledge event). */
  pledgesInFeed(): string[] {
    const events = this.value<FeedValue>('feed')?.events ?? [];
    return events.filter((event) => event.type.startsWith('tracker.pledge.')).map((e) => e.subject);
  }

  /** Every channel the dashboard wants, given what it knows; `refused` ones are left out. */
  wantedChannels(
    pledgeIds: Iterable<string>,
    refused: ReadonlySet<string>,
    programmeIds: Iterable<string> = [],
  ): string[] {
    const pledges = [...new Set([...pledgeIds, ...this.pledgesInFeed()])].slice(0, MAX_PLEDGES);
    return [
      'overview',
      'alerts',
      'feed',
      ...this.items().map((item) => `item:${item}`),
      ...this.donors().map((donor) => `donor:${donor}`),
      ...pledges.map((id) => `pledge:${id}`),
      ...this.programmes(programmeIds).map((code) => `programme:${code}`),
    ].filter((channel) => !refused.has(channel));
  }

  flowByItem(): FlowRow[] {
    return this.items()
      .map((item) => this.value<Item>(`item:${item}`))
      .filter((value): value is Item => value !== undefined && value.pledges > 0)
      .map((value) => flowOf(value.itemCode, value));
  }

  flowByDonor(): FlowRow[] {
    const rows = new Map<string, FlowRow>();
    for (const donor of this.donors()) {
      const value = this.value<Donor>(`donor:${donor}`);
      if (value) rows.set(donor, flowOf(donor, value));
    }
    // Donors whose own channel a token may not read still show, from the items' breakdowns.
    for (const item of this.items()) {
      const value = this.value<Item>(`item:${item}`);
      for (const [donor, summary] of Object.entries<Summary>(value?.donors ?? {})) {
        if (this.values.has(`donor:${donor}`)) continue;
        const seen = rows.get(donor);
        const add = flowOf(donor, summary);
        rows.set(
          donor,
          seen
            ? {
                label: donor,
                pledged: seen.pledged + add.pledged,
                allocated: plus(seen.allocated, add.allocated),
                shipped: plus(seen.shipped, add.shipped),
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
      .map((item) => this.value<Item>(`item:${item}`))
      .filter((value): value is Item => value !== undefined)
      .filter((value) => value.outstandingDemand > 0 || value.capacity.unitsPerMonth > 0)
      .map((value) => ({
        item: value.itemCode,
        capacityPerMonth: value.capacity.unitsPerMonth,
        producedPerMonth: isWhole(value) ? (value as ItemValue).producedPerMonth : null,
        outstandingDemand: value.outstandingDemand,
        monthsToClear: value.monthsToClear.months,
      }));
  }

  pledgeRows(query: PledgeQuery): PledgeRow[] {
    const text = query.text.trim().toLowerCase();
    const rows: PledgeRow[] = [];
    for (const [channel, value] of this.values) {
      if (!channel.startsWith('pledge:') || !value) continue;
      const pledge = value as Pledge;
      const whole = isWhole(pledge);
      rows.push({
        id: pledge.pledgeId,
        donor: pledge.donor,
        item: pledge.itemCode,
        status: pledge.status,
        pledged: pledge.pledged,
        accepted: pledge.accepted,
        outstanding: pledge.outstanding,
        targetDate: pledge.targetDate ?? null,
        forecastDate: whole ? ((pledge as PledgeValue).forecast?.completionDate ?? null) : null,
        daysLate: pledge.daysLate ?? null,
        view: whole ? 'full' : 'public',
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

  /**
   * The pledge table's columns: the forecast only when the viewer sees some pledge whole (a
   * public pledge has none).
   */
  pledgeColumns(): PledgeColumn[] {
    const whole = [...this.values].some(
      ([channel, value]) => channel.startsWith('pledge:') && value && isWhole(value),
    );
    return PLEDGE_COLUMNS.filter((column) => whole || column !== 'forecastDate');
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
      const value = this.value<Item>(`item:${item}`);
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

/** A programme's progress line as the chart draws it, one point per month. */
export interface ProgrammeSeries {
  readonly months: string[];
  readonly pledged: (number | null)[];
  readonly delivered: (number | null)[];
  /** The target on every month, when declared. */
  readonly target: (number | null)[];
  /** The target at the deadline's month only: where the line had to be by then. */
  readonly deadline: (number | null)[];
  /** From the latest delivered month to the target at the forecast's month: an estimate. */
  readonly forecast: (number | null)[];
}

const monthOf = (date: string): string => date.slice(0, 7);

function nextMonth(month: string): string {
  const [year, number] = month.split('-').map(Number);
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
}

/**
 * Every month from the programme's first activity to the latest of its last activity, its
 * deadline and its forecast; cumulative pledged and delivered carried over months without
 * activity, and left empty after the last month with data (the future is not a fact).
 */
export function programmeSeries(value: ProgrammeValue): ProgrammeSeries {
  const known = new Map(value.monthly.map((month) => [month.month, month]));
  const deadline = value.deadline ? monthOf(value.deadline) : undefined;
  const reachedBy = value.forecast?.targetReachedBy
    ? monthOf(value.forecast.targetReachedBy)
    : undefined;
  const ends = [...known.keys(), deadline, reachedBy].filter((m): m is string => m !== undefined);
  if (ends.length === 0) {
    return { months: [], pledged: [], delivered: [], target: [], deadline: [], forecast: [] };
  }
  const first = ends.reduce((a, b) => (a < b ? a : b));
  const last = ends.reduce((a, b) => (a > b ? a : b));
  const lastData = value.monthly.at(-1)?.month;
  const months: string[] = [];
  for (let month = first; month <= last; month = nextMonth(month)) months.push(month);
  let pledged = 0;
  let delivered = 0;
  const series: ProgrammeSeries = {
    months,
    pledged: [],
    delivered: [],
    target: [],
    deadline: [],
    forecast: [],
  };
  for (const month of months) {
    const data = known.get(month);
    if (data) {
      pledged = data.cumulativePledged;
      delivered = data.cumulativeDelivered;
    }
    const past = lastData !== undefined && month <= lastData;
    series.pledged.push(past ? pledged : null);
    series.delivered.push(past ? delivered : null);
    series.target.push(value.targetQuantity);
    series.deadline.push(month === deadline ? value.targetQuantity : null);
    series.forecast.push(
      reachedBy !== undefined && month === lastData
        ? delivered
        : month === reachedBy
          ? value.targetQuantity
          : null,
    );
  }
  return series;
}

/** The figures some entry of a history moves: those the viewer is shown. */
function namedFigures(entries: readonly PledgeHistoryEntry[]): Set<HistoryChartFigure> {
  return new Set(
    HISTORY_CHART_FIGURES.filter((figure) =>
      entries.some((entry) => typeof entry.changes[figure]?.after === 'number'),
    ),
  );
}

/** The figures a pledge's history chart draws, cumulative as each entry left them. */
export const HISTORY_CHART_FIGURES = ['pledged', 'allocated', 'shipped', 'accepted'] as const;
export type HistoryChartFigure = (typeof HISTORY_CHART_FIGURES)[number];

/** A pledge's figures after each entry of its history, in the order the tracker applied them. */
export interface HistorySeries {
  /** The day each entry happened (its event time), one label per entry. */
  readonly labels: string[];
  /** Per figure, its value after each entry; null for a figure the viewer is not shown. */
  readonly figures: Record<HistoryChartFigure, (number | null)[]>;
}

/**
 * The running figures of a pledge from its history: an entry names only the figures it changed,
 * so the others carry over from the entry before, and a figure is 0 until an entry first moves
 * it (a pledge starts at nothing). A figure no entry names (a public view has no allocated or
 * shipped) stays null and is not drawn.
 */
export function historySeries(entries: readonly PledgeHistoryEntry[]): HistorySeries {
  const current: Record<HistoryChartFigure, number | null> = {
    pledged: null,
    allocated: null,
    shipped: null,
    accepted: null,
  };
  const named = namedFigures(entries);
  const series: HistorySeries = {
    labels: [],
    figures: { pledged: [], allocated: [], shipped: [], accepted: [] },
  };
  for (const entry of entries) {
    for (const figure of HISTORY_CHART_FIGURES) {
      const after = entry.changes[figure]?.after;
      if (typeof after === 'number') current[figure] = after;
    }
    series.labels.push(entry.time.slice(0, 10));
    for (const figure of HISTORY_CHART_FIGURES) {
      series.figures[figure].push(current[figure] ?? (named.has(figure) ? 0 : null));
    }
  }
  return series;
}

/**
 * A pledge's chart: its figures after each entry of its history (as {@link historySeries}), on
 * an axis that also holds its target date and its forecast completion, each in date order. The
 * target is a marker at the quantity pledged on the target date; the forecast, an estimate, runs
 * from the last accepted figure to the quantity pledged on the forecast date. The figures are
 * carried to an inserted date up to `today` (the day shown: now, or the day of the date
 * control), and left empty after it: the future is not a fact.
 */
export interface PledgeChartSeries extends HistorySeries {
  readonly target: (number | null)[];
  readonly forecast: (number | null)[];
}

export function pledgeChartSeries(
  entries: readonly PledgeHistoryEntry[],
  dates: {
    readonly targetDate: string | null;
    readonly forecastDate: string | null;
    /** YYYY-MM-DD. */
    readonly today: string;
  },
): PledgeChartSeries {
  const history = historySeries(entries);
  const series = {
    labels: [...history.labels],
    figures: Object.fromEntries(
      HISTORY_CHART_FIGURES.map((figure) => [figure, [...history.figures[figure]]]),
    ) as Record<HistoryChartFigure, (number | null)[]>,
    target: history.labels.map((): number | null => null),
    forecast: history.labels.map((): number | null => null),
  };
  const last = history.labels.length - 1;
  const pledged = history.figures.pledged[last] ?? null;
  if (last >= 0 && dates.forecastDate !== null) {
    series.forecast[last] = history.figures.accepted[last] ?? 0;
  }
  const insert = (date: string, mark: 'target' | 'forecast') => {
    const at = series.labels.findIndex((label) => label > date);
    const index = at === -1 ? series.labels.length : at;
    const future = at === -1 && date > dates.today;
    series.labels.splice(index, 0, date);
    for (const figure of HISTORY_CHART_FIGURES) {
      const carried = future || index === 0 ? null : series.figures[figure][index - 1];
      series.figures[figure].splice(index, 0, carried);
    }
    series.target.splice(index, 0, mark === 'target' ? pledged : null);
    series.forecast.splice(index, 0, mark === 'forecast' ? pledged : null);
  };
  if (dates.targetDate !== null) insert(dates.targetDate, 'target');
  if (dates.forecastDate !== null) insert(dates.forecastDate, 'forecast');
  return series;
}

/**
 * The figures of several pledges summed over time, one point per day on which any of them
 * changed (a donor's or an item's cumulative chart, from its pledges' histories): each entry
 * moves the sum by what it changed, from 0; a figure no entry names stays null (not in the view).
 */
export function summedHistorySeries(
  histories: readonly (readonly PledgeHistoryEntry[])[],
): HistorySeries {
  const moves = histories
    .flat()
    .map((entry) => ({ day: entry.time.slice(0, 10), time: entry.time, entry }))
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const named = namedFigures(moves.map(({ entry }) => entry));
  const start = (figure: HistoryChartFigure) => (named.has(figure) ? 0 : null);
  const sum: Record<HistoryChartFigure, number | null> = {
    pledged: start('pledged'),
    allocated: start('allocated'),
    shipped: start('shipped'),
    accepted: start('accepted'),
  };
  const series: HistorySeries = {
    labels: [],
    figures: { pledged: [], allocated: [], shipped: [], accepted: [] },
  };
  for (const { day, entry } of moves) {
    for (const figure of HISTORY_CHART_FIGURES) {
      const change = entry.changes[figure];
      if (typeof change?.after !== 'number') continue;
      const before = typeof change.before === 'number' ? change.before : 0;
      sum[figure] = (sum[figure] ?? 0) + change.after - before;
    }
    if (series.labels.at(-1) !== day) {
      series.labels.push(day);
      for (const figure of HISTORY_CHART_FIGURES) series.figures[figure].push(null);
    }
    for (const figure of HISTORY_CHART_FIGURES)
      series.figures[figure][series.labels.length - 1] = sum[figure];
  }
  return series;
}

/** A shipment as `GET /v1/shipments?pledgeId=` lists it (shipment-service). */
export interface ShipmentListing {
  readonly shipmentId: string;
  readonly quantity: number;
  readonly dispatchedAt: string;
  readonly dispatchedBy?: string;
  readonly producer: string | null;
  readonly status: string;
  readonly lost: number;
  /** The latest estimate of arrival, and the one the dispatch gave. */
  readonly eta?: string;
  readonly dispatchEta?: string;
  readonly delivery: {
    readonly receivedQuantity: number;
    readonly acceptedQuantity: number;
    readonly receivedAt: string;
  } | null;
  readonly milestones: readonly MilestoneListing[];
}

/** An allocation as `GET /v1/allocations?pledgeId=` lists it (production-service). */
export interface AllocationListing {
  readonly allocationId: string;
  readonly lotId: string;
  readonly quantity: number;
  readonly allocatedAt: string;
  readonly producer: string | null;
  readonly lot: { readonly facility: string; readonly qaStatus: string } | null;
}

/** The allocations made by `asOf` (an instant, RFC 3339). */
export function allocationsAsOf(
  allocations: readonly AllocationListing[],
  asOf: string,
): AllocationListing[] {
  const end = Date.parse(asOf);
  return allocations.filter((allocation) => Date.parse(allocation.allocatedAt) <= end);
}

/**
 * The shipments as they stood at `asOf` (an instant, RFC 3339), by when things happened, as an
 * `asOf` read counts them: those dispatched by then, each with the milestones reached by then,
 * the ETA the latest of those (or the dispatch) gave, and its receipt only if received by then
 * (until then it is in transit). A loss carries no time of its own, so a lost shipment shows as
 * lost on any day after its dispatch.
 */
export function shipmentsAsOf(
  shipments: readonly ShipmentListing[],
  asOf: string,
): ShipmentListing[] {
  const end = Date.parse(asOf);
  const by = (at: string) => Date.parse(at) <= end;
  return shipments
    .filter((shipment) => by(shipment.dispatchedAt))
    .map((shipment) => {
      const milestones = shipment.milestones.filter((milestone) => by(milestone.at));
      const received = shipment.delivery !== null && by(shipment.delivery.receivedAt);
      const eta = etaChanges({ dispatchEta: shipment.dispatchEta, milestones }).at(-1)?.to;
      const { eta: _now, ...rest } = shipment;
      return {
        ...rest,
        ...((eta ?? shipment.dispatchEta) === undefined
          ? {}
          : { eta: eta ?? shipment.dispatchEta }),
        milestones,
        delivery: received ? shipment.delivery : null,
        status: received || shipment.status === 'lost' ? shipment.status : 'in-transit',
      };
    });
}

export interface MilestoneListing {
  readonly status: string;
  readonly location?: string;
  readonly at: string;
  readonly eta?: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

/** A revision of a shipment's estimated arrival: an estimate replaced by another. */
export interface EtaChange {
  /** null when the dispatch gave no estimate. */
  readonly from: string | null;
  readonly to: string;
  /** When the milestone that revised it happened, and who reported it. */
  readonly at: string;
  readonly by: string;
}

/**
 * Every change of a shipment's ETA, in the order recorded: from the dispatch's estimate through
 * each milestone that carried a different one.
 */
export function etaChanges(
  shipment: Pick<ShipmentListing, 'dispatchEta' | 'milestones'>,
): EtaChange[] {
  const changes: EtaChange[] = [];
  let current: string | null = shipment.dispatchEta ?? null;
  for (const milestone of shipment.milestones) {
    if (milestone.eta === undefined || milestone.eta === current) continue;
    changes.push({ from: current, to: milestone.eta, at: milestone.at, by: milestone.recordedBy });
    current = milestone.eta;
  }
  return changes;
}

/** A shipment's milestones in the order they happened (by `at`; as recorded on a tie). */
export function milestonesInOrder(milestones: readonly MilestoneListing[]): MilestoneListing[] {
  return milestones
    .map((milestone, index) => ({ milestone, index, at: Date.parse(milestone.at) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ milestone }) => milestone);
}

/** The figures "what changed since" compares, in the order it says them. */
export const COMPARED_FIGURES = [
  'pledged',
  'allocated',
  'shipped',
  'accepted',
  'outstanding',
] as const;
export type ComparedFigure = (typeof COMPARED_FIGURES)[number];

export interface FigureChange {
  readonly figure: ComparedFigure;
  readonly then: number;
  readonly now: number;
  readonly delta: number;
}

/**
 * What moved between two reads of the same summary (overview, donor, item, pledge): each figure
 * both reads have that differs, in {@link COMPARED_FIGURES} order. A figure the viewer is not
 * shown in either read (a public view has no allocated or shipped) is left out, not taken as 0;
 * a summary absent then (nothing existed yet) counts as zeros.
 */
export function figureChanges(then: unknown, now: unknown): FigureChange[] {
  const figures = (value: unknown): Partial<Record<ComparedFigure, number>> | undefined => {
    if (value === undefined || value === null) return undefined;
    const totals = (value as { totals?: object }).totals ?? value;
    return totals;
  };
  const after = figures(now);
  if (after === undefined) return [];
  const before = figures(then);
  const changes: FigureChange[] = [];
  for (const figure of COMPARED_FIGURES) {
    const to = after[figure];
    if (typeof to !== 'number') continue;
    const from = before === undefined ? 0 : before[figure];
    if (typeof from !== 'number' || from === to) continue;
    changes.push({ figure, then: from, now: to, delta: to - from });
  }
  return changes;
}

/** "+12,000 accepted, −3 outstanding since 2024-03-20"; "no change since …" when none. */
export function changeText(changes: readonly FigureChange[], since: string): string {
  if (changes.length === 0) return `no change since ${since}`;
  const format = new Intl.NumberFormat('en-GB');
  const parts = changes.map(
    ({ figure, delta }) => `${delta > 0 ? '+' : '−'}${format.format(Math.abs(delta))} ${figure}`,
  );
  return `${parts.join(', ')} since ${since}`;
}

/** A day of the date control (YYYY-MM-DD) as the instant the as-of reads ask for: its last ms, UTC. */
export function endOfDayUtc(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new RangeError(`${day} is not a date (YYYY-MM-DD)`);
  }
  return `${day}T23:59:59.999Z`;
}

/**
 * The history entries of events that happened after the end of `day` (UTC), in the order
 * applied: what "changed since" that day on a pledge's page. By event time, as `asOf` reads the
 * figures compared (what had happened by then, as known now), so the entries are what moved the
 * figures between the two reads; each still says when it was recorded.
 */
export function entriesSince(
  entries: readonly PledgeHistoryEntry[],
  day: string,
): PledgeHistoryEntry[] {
  const end = Date.parse(endOfDayUtc(day));
  return entries.filter((entry) => Date.parse(entry.time) > end);
}

/** A path of the gateway with `asOf` added for a past day, unchanged when live. */
export function withAsOf(path: string, day: string | undefined): string {
  if (day === undefined) return path;
  const separator = path.includes('?') ? '&' : '?';
  return `${path}${separator}asOf=${encodeURIComponent(endOfDayUtc(day))}`;
}

/**
 * The entries of events that had happened by the end of `day` (UTC): a history as of that day,
 * as `asOf` reads the figures (all of them when `day` is undefined: live).
 */
export function entriesUntil(
  entries: readonly PledgeHistoryEntry[],
  day: string | undefined,
): PledgeHistoryEntry[] {
  if (day === undefined) return [...entries];
  const end = Date.parse(endOfDayUtc(day));
  return entries.filter((entry) => Date.parse(entry.time) <= end);
}

/**
 * The gateway's read of a live channel (same shape as the channel's value), for the channels
 * that can be read as of a past date; undefined for the others (alerts, feed, programmes).
 */
export function channelPath(channel: string): string | undefined {
  const [kind, ...rest] = channel.split(':');
  const id = encodeURIComponent(rest.join(':'));
  switch (kind) {
    case 'overview':
      return rest.length === 0 ? '/v1/overview' : undefined;
    case 'donor':
      return `/v1/donors/${id}`;
    case 'item':
      return `/v1/items/${id}`;
    case 'pledge':
      return `/v1/pledges/${id}/live`;
    default:
      return undefined;
  }
}

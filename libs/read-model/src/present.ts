import {
  CAPACITY_FIELD,
  PLEDGES_FIELD,
  PRODUCED_FIELD,
  statusField,
  TOTAL_FIELDS,
} from './aggregate-fields';
import { ParsedChannel, parseChannel } from './channels';
import { presentProgramme } from './present-programme';
import {
  AlertsValue,
  AlertValue,
  ChannelValue,
  DailyPoint,
  DeliveryTotals,
  DonorValue,
  FeedEntry,
  FeedValue,
  ItemValue,
  OverviewValue,
  PLEDGE_STATUSES,
  PledgeSummary,
  PledgeValue,
  StockpileLevel,
} from './values';

type Fields = ReadonlyMap<string, string>;

const CAPACITY_BASES = ['company-claim', 'government', 'audited'] as const;
const PRODUCED_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * Turns the raw value a Lua script composed for a channel into the channel's value. The raw
 * form is private to this library: a hash's flat field list, an item's hash plus daily points,
 * a pledge's stored JSON, a programme's hash, a JSON array of alerts or feed entries. `null` raw means no data.
 */
export function present(channel: string, raw: string | null): ChannelValue | null {
  const parsed = parseChannel(channel);
  if (parsed === undefined) return null;
  return presentParsed(parsed, raw);
}

function presentParsed(channel: ParsedChannel, raw: string | null): ChannelValue | null {
  switch (channel.kind) {
    case 'alerts':
      return alerts(raw);
    case 'feed':
      return feed(raw);
    case 'overview':
      // Everything is zero before the first pledge: the overview always has a value.
      return overview(raw === null ? new Map() : flatFields(JSON.parse(raw) as string[]));
    case 'donor':
      return raw === null ? null : donor(channel.donor, flatFields(JSON.parse(raw) as string[]));
    case 'item':
      return raw === null ? null : item(channel.itemCode, raw);
    case 'pledge':
      return raw === null ? null : (JSON.parse(raw) as PledgeValue);
    case 'programme':
      return raw === null
        ? null
        : presentProgramme(channel.programmeId, flatFields(JSON.parse(raw) as string[]));
  }
}

function flatFields(flat: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i], flat[i + 1]);
  return fields;
}

const numberOf = (fields: Fields, field: string): number => Number(fields.get(field) ?? 0);

/** The summary stored under `prefix` (`''` for the hash's own, `x:<code>:` for a cross cell). */
function summary(fields: Fields, prefix = ''): PledgeSummary {
  const totals = Object.fromEntries(
    TOTAL_FIELDS.map((field) => [field, numberOf(fields, prefix + field)]),
  ) as unknown as DeliveryTotals;
  const pledgeCounts = Object.fromEntries(
    PLEDGE_STATUSES.map((status) => [status, numberOf(fields, prefix + statusField(status))]),
  ) as PledgeSummary['pledgeCounts'];
  return { totals, pledges: numberOf(fields, prefix + PLEDGES_FIELD), pledgeCounts };
}

/** The codes `c` of every `x:<c>:…` field, sorted. */
function crossCodes(fields: Fields): string[] {
  const codes = new Set<string>();
  for (const field of fields.keys()) {
    if (!field.startsWith('x:')) continue;
    codes.add(field.slice(2, field.indexOf(':', 2)));
  }
  return [...codes].sort();
}

function crossSummaries(fields: Fields): Record<string, PledgeSummary> {
  return Object.fromEntries(
    crossCodes(fields).map((code) => [code, summary(fields, `x:${code}:`)]),
  );
}

function overview(fields: Fields): OverviewValue {
  return { kind: 'overview', ...summary(fields) };
}

function donor(code: string, fields: Fields): DonorValue {
  return { kind: 'donor', donor: code, ...summary(fields), items: crossSummaries(fields) };
}

function item(itemCode: string, raw: string): ItemValue {
  const { h, d } = JSON.parse(raw) as { h: string[]; d: [string, string, string, string][] };
  const fields = flatFields(h);
  const daily: DailyPoint[] = d.map(([date, produced, shipped, delivered]) => ({
    date,
    produced: Number(produced),
    shipped: Number(shipped),
    delivered: Number(delivered),
  }));
  const own = summary(fields);
  const unitsPerMonth = numberOf(fields, CAPACITY_FIELD);
  const outstanding = own.totals.outstanding;
  return {
    kind: 'item',
    itemCode,
    ...own,
    donors: crossSummaries(fields),
    capacity: {
      unitsPerMonth,
      byBasis: Object.fromEntries(
        CAPACITY_BASES.map((basis) => [basis, numberOf(fields, `${CAPACITY_FIELD}:${basis}`)]),
      ) as ItemValue['capacity']['byBasis'],
      estimate: true,
    },
    produced: numberOf(fields, PRODUCED_FIELD),
    producedPerMonth: producedPerMonth(daily),
    outstandingDemand: outstanding,
    monthsToClear: {
      months:
        outstanding === 0 ? 0 : unitsPerMonth > 0 ? round2(outstanding / unitsPerMonth) : null,
      basis: 'declared-capacity',
      estimate: true,
    },
    stockpiles: stockpiles(fields),
    daily,
  };
}

/** Produced over the 90 days ending at the latest day of the series, per 30 days. */
function producedPerMonth(daily: readonly DailyPoint[]): number {
  if (daily.length === 0) return 0;
  const end = Date.parse(daily[daily.length - 1].date);
  const start = end - (PRODUCED_WINDOW_DAYS - 1) * DAY_MS;
  const produced = daily
    .filter((point) => Date.parse(point.date) >= start)
    .reduce((sum, point) => sum + point.produced, 0);
  return round2((produced * 30) / PRODUCED_WINDOW_DAYS);
}

function stockpiles(fields: Fields): Record<string, StockpileLevel> {
  const nations = new Set<string>();
  for (const field of fields.keys()) {
    if (field.startsWith('st:')) nations.add(field.slice(3, field.indexOf(':', 3)));
  }
  const levels: Record<string, StockpileLevel> = {};
  for (const nation of [...nations].sort()) {
    const quantity = numberOf(fields, `st:${nation}:q`);
    const min = fields.get(`st:${nation}:min`);
    const minimumRequired = min === undefined ? null : Number(min);
    levels[nation] = {
      quantity,
      minimumRequired,
      belowMinimum: minimumRequired !== null && quantity < minimumRequired,
      reportedAt: fields.get(`st:${nation}:at`) ?? '',
    };
  }
  return levels;
}

function alerts(raw: string | null): AlertsValue {
  const open = raw === null ? [] : (JSON.parse(raw) as AlertValue[]);
  open.sort((a, b) =>
    a.raisedAt === b.raisedAt ? compare(a.alertId, b.alertId) : compare(a.raisedAt, b.raisedAt),
  );
  return { kind: 'alerts', open };
}

function feed(raw: string | null): FeedValue {
  return { kind: 'feed', events: raw === null ? [] : (JSON.parse(raw) as FeedEntry[]) };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const round2 = (value: number): number => Math.round(value * 100) / 100;

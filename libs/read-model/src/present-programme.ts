import {
  PLEDGES_FIELD,
  PROGRAMME_TOTAL_FIELDS,
  programmeDeclarationField,
  statusField,
} from './aggregate-fields';
import {
  PLEDGE_STATUSES,
  PROGRAMME_MONTHS,
  ProgrammeForecast,
  ProgrammeMonth,
  ProgrammeValue,
  StatusCounts,
} from './values';

type Fields = ReadonlyMap<string, string>;

const DAY_MS = 86_400_000;
const DAYS_PER_MONTH = 365.25 / 12;
/** Months of deliveries the forecast's rate is the mean of. */
const RATE_WINDOW_MONTHS = 3;
const MONTH_FIELD = /^m:(\d{4}-\d{2}):([pd])$/;

const numberOf = (fields: Fields, field: string): number => Number(fields.get(field) ?? 0);

/** `YYYY-MM` → months since year 0, and back. */
const monthIndex = (month: string): number =>
  Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOf = (index: number): string =>
  `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

/** The value of channel `programme:<id>` from its hash (`agg:programme:<id>`). */
export function presentProgramme(programmeId: string, fields: Fields): ProgrammeValue {
  const [pledged, accepted, outstanding] = PROGRAMME_TOTAL_FIELDS.map((f) => numberOf(fields, f));
  const declared = (part: Parameters<typeof programmeDeclarationField>[0]) =>
    fields.get(programmeDeclarationField(part)) ?? null;
  const target = declared('target');
  const targetQuantity = target === null ? null : Number(target);
  const deadline = declared('deadline');
  const monthly = monthsOf(fields);
  const reached =
    targetQuantity === null
      ? undefined
      : monthly.find((month) => month.cumulativeDelivered >= targetQuantity);
  return {
    kind: 'programme',
    programmeId,
    name: declared('name'),
    itemCode: declared('item'),
    targetQuantity,
    deadline,
    sourceUrl: declared('url'),
    declaredAt: declared('at'),
    pledged,
    accepted,
    outstanding,
    pledges: numberOf(fields, PLEDGES_FIELD),
    pledgeCounts: Object.fromEntries(
      PLEDGE_STATUSES.map((status) => [status, numberOf(fields, statusField(status))]),
    ) as StatusCounts,
    unpledged: targetQuantity === null ? null : Math.max(0, targetQuantity - pledged),
    shortfall: targetQuantity === null ? null : Math.max(0, targetQuantity - accepted),
    deliveredShare:
      targetQuantity === null ? null : Math.round((accepted / targetQuantity) * 10_000) / 10_000,
    targetReachedIn: reached?.month ?? null,
    forecast:
      targetQuantity === null || accepted >= targetQuantity
        ? null
        : forecast(monthly, targetQuantity - accepted, deadline),
    monthly: monthly.slice(-PROGRAMME_MONTHS),
  };
}

/** Every month from the first with activity to the latest, with running sums. */
function monthsOf(fields: Fields): ProgrammeMonth[] {
  const byMonth = new Map<number, { p: number; d: number }>();
  for (const [field, value] of fields) {
    const match = MONTH_FIELD.exec(field);
    if (match === null) continue;
    const index = monthIndex(match[1]);
    const month = byMonth.get(index) ?? { p: 0, d: 0 };
    month[match[2] as 'p' | 'd'] += Number(value);
    byMonth.set(index, month);
  }
  if (byMonth.size === 0) return [];
  const indexes = [...byMonth.keys()];
  const last = Math.max(...indexes);
  const months: ProgrammeMonth[] = [];
  let cumulativePledged = 0;
  let cumulativeDelivered = 0;
  for (let index = Math.min(...indexes); index <= last; index++) {
    const { p, d } = byMonth.get(index) ?? { p: 0, d: 0 };
    cumulativePledged += p;
    cumulativeDelivered += d;
    months.push({
      month: monthOf(index),
      pledged: p,
      delivered: d,
      cumulativePledged,
      cumulativeDelivered,
    });
  }
  return months;
}

const NO_FORECAST: ProgrammeForecast = {
  targetReachedBy: null,
  daysLate: null,
  basis: 'none',
  ratePerMonth: null,
  estimate: true,
};

/**
 * When `remaining` more will have been delivered at the mean monthly delivery of the last
 * {@link RATE_WINDOW_MONTHS} months of deliveries, counted from the end of the latest of them.
 */
function forecast(
  monthly: readonly ProgrammeMonth[],
  remaining: number,
  deadline: string | null,
): ProgrammeForecast {
  const delivering = monthly.filter((month) => month.delivered > 0);
  if (delivering.length === 0) return NO_FORECAST;
  const last = monthIndex(delivering[delivering.length - 1].month);
  const start = Math.max(monthIndex(delivering[0].month), last - RATE_WINDOW_MONTHS + 1);
  const delivered = monthly
    .filter((month) => monthIndex(month.month) >= start && monthIndex(month.month) <= last)
    .reduce((sum, month) => sum + month.delivered, 0);
  const ratePerMonth = delivered / (last - start + 1);
  const endOfLast = Date.UTC(Math.floor((last + 1) / 12), (last + 1) % 12, 1);
  const reachedMs = endOfLast + Math.ceil((remaining / ratePerMonth) * DAYS_PER_MONTH) * DAY_MS;
  const targetReachedBy = new Date(reachedMs).toISOString().slice(0, 10);
  return {
    targetReachedBy,
    daysLate: deadline === null ? null : Math.round((reachedMs - Date.parse(deadline)) / DAY_MS),
    basis: 'recent-deliveries',
    ratePerMonth: Math.round(ratePerMonth * 100) / 100,
    estimate: true,
  };
}

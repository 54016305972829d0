/**
 * The public page's picture (`/public`): what `GET /public/v1/summary` and
 * `GET /public/v1/pledges` answer, and the rows the page shows. No token, no DOM here.
 */
import type { PublicPledge, PublicSummaryRow } from '@tracker/read-model';

export type { PublicPledge, PublicSummaryRow };

/** `GET /public/v1/summary`: facts recorded at least `delayDays` days before `asOf`. */
export interface PublicSummaryBody {
  readonly asOf: string;
  readonly delayDays: number;
  readonly rows: readonly PublicSummaryRow[];
  readonly totals: { readonly pledged: number; readonly delivered: number };
}

/** `GET /public/v1/pledges`: one page of pledges; `next` when there are more. */
export interface PublicPledgesBody {
  readonly asOf: string;
  readonly delayDays: number;
  readonly items: readonly PublicPledge[];
  readonly next?: string;
}

/** Pledged against delivered, in units and in euro cents, of one donor or one item. */
export interface TotalRow {
  readonly key: string;
  readonly pledged: number;
  readonly delivered: number;
  readonly pledgedValueCents: number;
  readonly deliveredValueCents: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** True for a body shaped like {@link PublicSummaryBody} (as far as the page reads it). */
export function isSummaryBody(body: unknown): body is PublicSummaryBody {
  return (
    isObject(body) &&
    typeof body.asOf === 'string' &&
    typeof body.delayDays === 'number' &&
    Array.isArray(body.rows)
  );
}

/** True for a body shaped like {@link PublicPledgesBody} (as far as the page reads it). */
export function isPledgesBody(body: unknown): body is PublicPledgesBody {
  return isObject(body) && typeof body.asOf === 'string' && Array.isArray(body.items);
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** When a time was, in UTC: `30 Nov 2026, 08:00 UTC`; the text itself if it is not a time. */
export function utcTime(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : `${dateTime.format(time)} UTC`;
}

/** The line saying how delayed the public view is. */
export function delayLine(delayDays: number, asOf: string): string {
  const days = delayDays === 1 ? '1 day' : `${delayDays} days`;
  return `Public view: facts recorded at least ${days} ago, as of ${utcTime(asOf)}`;
}

/** The summary's rows summed per donor or per item, sorted by it. */
export function totalsBy(rows: readonly PublicSummaryRow[], by: 'donor' | 'itemCode'): TotalRow[] {
  const sums = new Map<string, TotalRow>();
  for (const row of rows) {
    const key = row[by];
    const seen = sums.get(key);
    sums.set(key, {
      key,
      pledged: (seen?.pledged ?? 0) + row.pledged,
      delivered: (seen?.delivered ?? 0) + row.delivered,
      pledgedValueCents: (seen?.pledgedValueCents ?? 0) + row.pledgedValueCents,
      deliveredValueCents: (seen?.deliveredValueCents ?? 0) + row.deliveredValueCents,
    });
  }
  return [...sums.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** `delivered` as a percentage of `pledged`, one decimal; null when nothing was pledged. */
export function deliveredShare(delivered: number, pledged: number): number | null {
  return pledged > 0 ? Math.round((delivered / pledged) * 1000) / 10 : null;
}

const euros = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'EUR',
  maximumFractionDigits: 0,
});

/** Euro cents as whole euros: `€1,250,000`. */
export function formatEuros(cents: number): string {
  return euros.format(Math.round(cents / 100));
}

/** A pledge's status in words: a cancelled one says why. */
export function statusText(pledge: PublicPledge): string {
  return pledge.cancelled ? `cancelled: ${pledge.cancelled.reason}` : pledge.status;
}

/** The pledge's source as a link target, only when it is an http(s) address. */
export function sourceLink(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

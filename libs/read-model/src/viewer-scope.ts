import { alertFact, Fact, maySee, seesEverything, Viewer } from '@tracker/access';
import { ParsedChannel, parseChannel } from './channels';
import {
  AlertsValue,
  DeliveryTotals,
  DonorValue,
  FeedEntry,
  FeedValue,
  ItemValue,
  OverviewValue,
  PledgeSummary,
  PledgeValue,
  PublicDonorValue,
  PublicItemValue,
  PublicOverviewValue,
  PublicPledgeValue,
  PublicSummary,
  PublicTotals,
} from './values';

/**
 * What of a channel's value a viewer sees (README, "Who sees what"). Every door that hands out a
 * channel value (REST reads, `/live` snapshots, updates and resumes) passes it through
 * {@link scopeValue}, so the rule is applied once for all of them:
 * - admin and ops see every value whole;
 * - a pledge, and a donor's aggregate, are whole for their own parties (the pledge's donor and
 *   recipient, the donor itself) and public-only (`view: 'public'`) for everyone else;
 * - aggregates over everyone (`overview`, `item:*`) are public-only for every other viewer,
 *   with the viewer's own nation's stockpile on an item;
 * - a programme (`programme:*`) carries public totals only and is the same for every viewer;
 * - `alerts` and `feed` keep the entries the viewer may see (their {@link Fact}s).
 * A producer sees a pledge's public part: the pledge's operational totals mix every sender's
 * shipments; its own shipments, lots and allocations are on the services' routes.
 */
export function scopeValue(viewer: Viewer, channel: string, value: unknown): unknown {
  if (seesEverything(viewer) || value === null || typeof value !== 'object') return value;
  const parsed = parseChannel(channel);
  if (parsed === undefined) return value;
  const key = scopeKey(viewer, parsed, value);
  if (key === undefined) return value;
  let byKey = cache.get(value);
  if (byKey === undefined) {
    byKey = new Map();
    cache.set(value, byKey);
  }
  let scoped = byKey.get(key);
  if (scoped === undefined) {
    scoped = scopedForm(viewer, parsed, value);
    byKey.set(key, scoped);
  }
  return scoped;
}

/** One update fans out to many sockets of the same scope: each scoped form is made once. */
const cache = new WeakMap<object, Map<string, unknown>>();

/** Which scoped form `viewer` gets, or undefined for the whole value. */
function scopeKey(viewer: Viewer, channel: ParsedChannel, value: object): string | undefined {
  switch (channel.kind) {
    case 'overview':
      return 'public';
    case 'donor':
      return viewer.kind === 'donor' && viewer.country === channel.donor ? undefined : 'public';
    case 'item':
      return viewer.kind === 'donor' || viewer.kind === 'recipient'
        ? `public:${viewer.country}`
        : 'public';
    case 'programme':
      // Public data only (its hash keeps only public totals): the same value for everyone.
      return undefined;
    case 'pledge': {
      const pledge = value as Partial<PledgeValue>;
      return (viewer.kind === 'donor' && viewer.country === pledge.donor) ||
        (viewer.kind === 'recipient' && viewer.country === pledge.recipient)
        ? undefined
        : 'public';
    }
    case 'alerts':
    case 'feed':
      return viewerKey(viewer);
  }
}

function viewerKey(viewer: Viewer): string {
  switch (viewer.kind) {
    case 'donor':
    case 'recipient':
      return `${viewer.kind}:${viewer.country}`;
    case 'producer':
      return `producer:${viewer.org}`;
    case 'admin':
    case 'ops':
    case 'public':
      return viewer.kind;
  }
}

function scopedForm(viewer: Viewer, channel: ParsedChannel, value: object): unknown {
  switch (channel.kind) {
    case 'overview':
      return publicOverview(value as OverviewValue);
    case 'donor':
      return publicDonor(value as DonorValue);
    case 'item':
      return publicItem(value as ItemValue, nationOf(viewer));
    case 'pledge':
      return publicPledge(value as PledgeValue);
    case 'programme':
      return value;
    case 'alerts': {
      const alerts = value as AlertsValue;
      return { ...alerts, open: alerts.open.filter((alert) => maySee(viewer, alertFact(alert))) };
    }
    case 'feed': {
      const feed = value as FeedValue;
      return { ...feed, events: feed.events.filter((entry) => maySee(viewer, feedFact(entry))) };
    }
  }
}

function nationOf(viewer: Viewer): string | undefined {
  return viewer.kind === 'donor' || viewer.kind === 'recipient' ? viewer.country : undefined;
}

/** The public totals: pledged and delivered (recipient-confirmed accepted), and what remains. */
export function publicTotals(totals: DeliveryTotals): PublicTotals {
  return { pledged: totals.pledged, accepted: totals.accepted, outstanding: totals.outstanding };
}

function publicSummary(summary: PledgeSummary): PublicSummary {
  return {
    totals: publicTotals(summary.totals),
    pledges: summary.pledges,
    pledgeCounts: summary.pledgeCounts,
  };
}

function publicSummaries(
  byCode: Readonly<Record<string, PledgeSummary>>,
): Record<string, PublicSummary> {
  return Object.fromEntries(Object.entries(byCode).map(([code, s]) => [code, publicSummary(s)]));
}

function publicOverview(value: OverviewValue): PublicOverviewValue {
  return { kind: 'overview', view: 'public', ...publicSummary(value) };
}

function publicDonor(value: DonorValue): PublicDonorValue {
  return {
    kind: 'donor',
    view: 'public',
    donor: value.donor,
    ...publicSummary(value),
    items: publicSummaries(value.items),
  };
}

function publicItem(value: ItemValue, nation: string | undefined): PublicItemValue {
  const own = nation === undefined ? undefined : value.stockpiles[nation];
  return {
    kind: 'item',
    view: 'public',
    itemCode: value.itemCode,
    ...publicSummary(value),
    donors: publicSummaries(value.donors),
    capacity: value.capacity,
    outstandingDemand: value.outstandingDemand,
    monthsToClear: value.monthsToClear,
    stockpiles: own === undefined || nation === undefined ? {} : { [nation]: own },
    daily: value.daily.map(({ date, delivered }) => ({ date, delivered })),
  };
}

/** A pledge as announced, its status and its delivered (accepted) quantity. */
export function publicPledge(value: PledgeValue): PublicPledgeValue {
  return {
    kind: 'pledge',
    view: 'public',
    pledgeId: value.pledgeId,
    donor: value.donor,
    recipient: value.recipient,
    itemCode: value.itemCode,
    purpose: value.purpose,
    sourcing: value.sourcing,
    confidence: value.confidence,
    programme: value.programme,
    announcedAt: value.announcedAt,
    targetDate: value.targetDate,
    status: value.status,
    daysLate: value.daysLate,
    cancelled: value.cancelled,
    pledged: value.pledged,
    accepted: value.accepted,
    outstanding: value.outstanding,
  };
}

/** A feed entry's fact; an entry written before entries carried one is for admin and ops. */
export function feedFact(entry: FeedEntry): Fact {
  return entry.audience ?? { class: 'operational' };
}

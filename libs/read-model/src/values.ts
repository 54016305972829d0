import type { Fact } from '@tracker/access';

/**
 * The values of the live channels (DESIGN §5, §6): what `snapshot`, `resume`, `tail` and `value`
 * hand to the gateway. Facts (receipts, audited output) and estimates (forecasts, company
 * capacity claims, eta) never share a field: every estimate is an object with `estimate: true`
 * and the `basis` it was computed from.
 */

export const PLEDGE_STATUSES = [
  'announced',
  'in-production',
  'partially-delivered',
  'delivered',
  'overdue',
  'cancelled',
] as const;
export type PledgeStatus = (typeof PLEDGE_STATUSES)[number];

/** Quantities of one pledge, or summed over many, in the item's unit. */
export interface DeliveryTotals {
  readonly pledged: number;
  /** Lot quantity earmarked for the pledge(s) by production allocations. */
  readonly allocated: number;
  /** Dispatched quantity. */
  readonly shipped: number;
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly lost: number;
  /** pledged − accepted, never below zero; zero for a cancelled pledge. */
  readonly outstanding: number;
}

/** Announced pledges by status; every status is present, zero when none. */
export type StatusCounts = Readonly<Record<PledgeStatus, number>>;

/** Sums and counts over a set of pledges (a donor, an item, a donor × item, everything). */
export interface PledgeSummary {
  readonly totals: DeliveryTotals;
  /** Number of announced pledges (cancelled ones included). */
  readonly pledges: number;
  readonly pledgeCounts: StatusCounts;
}

/** Channel `overview`. */
export interface OverviewValue extends PledgeSummary {
  readonly kind: 'overview';
}

/** Channel `donor:<CC>`: one donor, with its per-item breakdown (donor × item). */
export interface DonorValue extends PledgeSummary {
  readonly kind: 'donor';
  readonly donor: string;
  /** Keyed by item code. */
  readonly items: Readonly<Record<string, PledgeSummary>>;
}

/** Declared monthly capacity of every line making an item: declarations are claims. */
export interface CapacityEstimate {
  readonly unitsPerMonth: number;
  /** Split by who vouches for the figure. */
  readonly byBasis: Readonly<Record<'company-claim' | 'government' | 'audited', number>>;
  readonly estimate: true;
}

/** Months of declared capacity needed to clear the outstanding demand of an item. */
export interface MonthsToClearEstimate {
  /** null when no capacity is declared (never clears at declared capacity). */
  readonly months: number | null;
  readonly basis: 'declared-capacity';
  readonly estimate: true;
}

/** A nation's stock of one item, as last reported (the report with the latest `at`). */
export interface StockpileLevel {
  readonly quantity: number;
  readonly minimumRequired: number | null;
  /** quantity < minimumRequired; false when no minimum is known. */
  readonly belowMinimum: boolean;
  readonly reportedAt: string;
}

/** One day of an item's activity (UTC calendar day of the fact's own timestamp). */
export interface DailyPoint {
  readonly date: string;
  /** Completed lot quantity (lots not rejected by QA), by completion day. */
  readonly produced: number;
  /** Dispatched quantity, by dispatch day. */
  readonly shipped: number;
  /** Accepted quantity, by receipt day. */
  readonly delivered: number;
}

/** Channel `item:<CODE>`. */
export interface ItemValue extends PledgeSummary {
  readonly kind: 'item';
  readonly itemCode: string;
  /** Keyed by donor country code (donor × item). */
  readonly donors: Readonly<Record<string, PledgeSummary>>;
  readonly capacity: CapacityEstimate;
  /** Completed lot quantity (lots not rejected by QA): a fact. */
  readonly produced: number;
  /** Completed lot quantity of the last 90 days before the model's `asOf`, per 30 days. */
  readonly producedPerMonth: number;
  /** Sum of the outstanding quantity of open pledges of the item. */
  readonly outstandingDemand: number;
  readonly monthsToClear: MonthsToClearEstimate;
  /** Keyed by nation (country code). */
  readonly stockpiles: Readonly<Record<string, StockpileLevel>>;
  /** The most recent days with any activity, oldest first (at most {@link DAILY_POINTS}). */
  readonly daily: readonly DailyPoint[];
}

/** How many days of the daily series an item value carries. */
export const DAILY_POINTS = 90;

/** When a pledge will be fulfilled at the production rate feeding it. */
export interface ForecastEstimate {
  /** YYYY-MM-DD; null when nothing is known to feed the pledge. */
  readonly completionDate: string | null;
  /** completionDate − targetDate in days (negative = early); null without either date. */
  readonly daysLate: number | null;
  /**
   * `allocated-output`: output of the lots allocated to the pledge over the last 90 days;
   * `capacity-share`: the item's declared capacity shared in proportion to outstanding demand;
   * `none`: neither is known.
   */
  readonly basis: 'allocated-output' | 'capacity-share' | 'none';
  /** Units per 30 days the forecast assumes; null with basis `none`. */
  readonly ratePerMonth: number | null;
  readonly estimate: true;
}

/** Channel `pledge:<id>`. */
export interface PledgeValue extends DeliveryTotals {
  readonly kind: 'pledge';
  readonly pledgeId: string;
  /** The donor's country code: the gateway authorises `donor:<CC>` tokens with it. */
  readonly donor: string;
  readonly recipient: string;
  readonly itemCode: string;
  readonly purpose: string;
  readonly sourcing: string;
  readonly confidence: string;
  readonly programme: string | null;
  readonly announcedAt: string;
  /** YYYY-MM-DD, after amendments; null when none was promised. */
  readonly targetDate: string | null;
  readonly status: PledgeStatus;
  /** Days past the target date: until the last acceptance when delivered, else until `asOf`. */
  readonly daysLate: number | null;
  readonly cancelled: { readonly at: string; readonly reason: string } | null;
  /** null once the pledge is delivered or cancelled. */
  readonly forecast: ForecastEstimate | null;
}

/** One month of a programme: what its pledges announced and its receipts accepted (UTC). */
export interface ProgrammeMonth {
  /** YYYY-MM. */
  readonly month: string;
  /** Quantity of the programme's pledges announced that month (after amendments). */
  readonly pledged: number;
  /** Quantity accepted on receipt that month (see {@link ProgrammeValue.monthly}). */
  readonly delivered: number;
  /** Sums from the first month up to and including this one. */
  readonly cumulativePledged: number;
  readonly cumulativeDelivered: number;
}

/** When a programme's target will be delivered at its recent delivery rate: an estimate. */
export interface ProgrammeForecast {
  /** YYYY-MM-DD; null with basis `none`. */
  readonly targetReachedBy: string | null;
  /** targetReachedBy − deadline in days (negative = early); null without either. */
  readonly daysLate: number | null;
  /**
   * `recent-deliveries`: the mean accepted per month over the last three months of deliveries
   * (fewer when deliveries began less than three months before the latest one), counted on from
   * the end of the latest month with deliveries; `none`: nothing was delivered yet.
   */
  readonly basis: 'recent-deliveries' | 'none';
  readonly ratePerMonth: number | null;
  readonly estimate: true;
}

/**
 * Channel `programme:<CODE>`: an aid programme's target against what its pledges (those naming
 * it in `programme`) pledged and delivered, over time. Public data, the same for every viewer.
 * The declaration's fields are null until the programme is declared: pledges may name it first.
 */
export interface ProgrammeValue {
  readonly kind: 'programme';
  readonly programmeId: string;
  readonly name: string | null;
  readonly itemCode: string | null;
  readonly targetQuantity: number | null;
  /** YYYY-MM-DD. */
  readonly deadline: string | null;
  readonly sourceUrl: string | null;
  /** The time of the declaration in force (RFC 3339). */
  readonly declaredAt: string | null;
  /** Promised by the programme's pledges (cancelled ones included, as in every summary). */
  readonly pledged: number;
  /** Delivered: the recipient-confirmed accepted quantity. */
  readonly accepted: number;
  /** Sum of the pledges' outstanding quantities (zero for a cancelled pledge). */
  readonly outstanding: number;
  /** Number of announced pledges naming the programme, and by status. */
  readonly pledges: number;
  readonly pledgeCounts: StatusCounts;
  /** targetQuantity − pledged, at least 0; null before the declaration. */
  readonly unpledged: number | null;
  /** targetQuantity − accepted, at least 0: what is still to be delivered against the target. */
  readonly shortfall: number | null;
  /** accepted ÷ targetQuantity, to four decimals. */
  readonly deliveredShare: number | null;
  /** YYYY-MM in which the cumulative delivered quantity reached the target: a fact. */
  readonly targetReachedIn: string | null;
  /** null before the declaration and once the target is reached. */
  readonly forecast: ProgrammeForecast | null;
  /**
   * Every month from the first with any activity to the latest, oldest first (at most
   * {@link PROGRAMME_MONTHS}, the latest ones). A shipment's accepted quantity counts in the month
   * of its latest receipt that accepted anything.
   */
  readonly monthly: readonly ProgrammeMonth[];
}

/** How many months of a programme's series its value carries. */
export const PROGRAMME_MONTHS = 120;

export const ALERT_KINDS = [
  'pledge-overdue',
  'shipment-stalled',
  'capacity-shortfall',
  'inconsistency',
] as const;

/** An open alert, as published on tracker.alerts.v1 (`tracker.alert.raised.v1`). */
export interface AlertValue {
  readonly alertId: string;
  readonly kind: (typeof ALERT_KINDS)[number];
  readonly severity: 'info' | 'warning' | 'critical';
  readonly entityType: 'pledge' | 'shipment' | 'lot' | 'item' | 'donor' | 'stockpile';
  readonly entityId: string;
  readonly message: string;
  readonly raisedAt: string;
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

/** Channel `alerts`: every open alert, oldest first. */
export interface AlertsValue {
  readonly kind: 'alerts';
  readonly open: readonly AlertValue[];
}

/** One event, summarised for the feed. */
export interface FeedEntry {
  /** The event id. */
  readonly id: string;
  readonly type: string;
  readonly time: string;
  readonly subject: string;
  /** One line for an operator, e.g. "DE pledged 100000 AMMO-155MM to UA". */
  readonly summary: string;
  /**
   * Who may see the entry (its data class and parties); entries written before entries carried
   * one are for admin and ops only.
   */
  readonly audience?: Fact;
}

/** Channel `feed`: the latest events by event time, newest first (at most {@link FEED_SIZE}). */
export interface FeedValue {
  readonly kind: 'feed';
  readonly events: readonly FeedEntry[];
}

export const FEED_SIZE = 50;

/** The value of any channel. */
export type ChannelValue =
  OverviewValue | DonorValue | ItemValue | PledgeValue | ProgrammeValue | AlertsValue | FeedValue;

/** The public totals: pledged, delivered (recipient-confirmed accepted) and outstanding. */
export type PublicTotals = Pick<DeliveryTotals, 'pledged' | 'accepted' | 'outstanding'>;

/** A {@link PledgeSummary} with its public totals only. */
export interface PublicSummary {
  readonly totals: PublicTotals;
  readonly pledges: number;
  readonly pledgeCounts: StatusCounts;
}

/** `overview` as a viewer who may not see everyone's operations gets it. */
export interface PublicOverviewValue extends PublicSummary {
  readonly kind: 'overview';
  readonly view: 'public';
}

/** `donor:<CC>` as anyone but that donor (or admin, ops) gets it. */
export interface PublicDonorValue extends PublicSummary {
  readonly kind: 'donor';
  readonly view: 'public';
  readonly donor: string;
  readonly items: Readonly<Record<string, PublicSummary>>;
}

/**
 * `item:<CODE>` for any viewer but admin and ops: public totals, capacity summed per item, and
 * the viewer's own nation's stockpile; no production output, no shipped series.
 */
export interface PublicItemValue extends PublicSummary {
  readonly kind: 'item';
  readonly view: 'public';
  readonly itemCode: string;
  readonly donors: Readonly<Record<string, PublicSummary>>;
  readonly capacity: CapacityEstimate;
  readonly outstandingDemand: number;
  readonly monthsToClear: MonthsToClearEstimate;
  readonly stockpiles: Readonly<Record<string, StockpileLevel>>;
  readonly daily: readonly Pick<DailyPoint, 'date' | 'delivered'>[];
}

/** `pledge:<id>` for anyone but its donor, its recipient, admin and ops. */
export interface PublicPledgeValue
  extends
    PublicTotals,
    Pick<
      PledgeValue,
      | 'pledgeId'
      | 'donor'
      | 'recipient'
      | 'itemCode'
      | 'purpose'
      | 'sourcing'
      | 'confidence'
      | 'programme'
      | 'announcedAt'
      | 'targetDate'
      | 'status'
      | 'daysLate'
      | 'cancelled'
    > {
  readonly kind: 'pledge';
  readonly view: 'public';
}

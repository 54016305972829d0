import type { AlertValue, PledgeValue } from '@tracker/read-model';
import type { ShipmentParties } from '../derive/parties';
import { daysBetween } from '../facts/stamp';

/** Thresholds of the alert rules; see the README for why each one cannot flap. */
export interface AlertPolicy {
  /** A shipment stalls this long after its eta (or its last milestone, if later). */
  readonly stallAfterMs: number;
  /** Contradicting facts must persist this long before an inconsistency is raised. */
  readonly inconsistencyGraceMs: number;
  /** Capacity shortfall raises above (1 + band) × capacity and clears below (1 − band) ×. */
  readonly shortfallBand: number;
}

export const DEFAULT_ALERT_POLICY: AlertPolicy = {
  stallAfterMs: 48 * 3_600_000,
  inconsistencyGraceMs: 15 * 60_000,
  shortfallBand: 0.1,
};

/** What the clock knows when it evaluates the rules. */
export interface AlertInputs {
  readonly asOf: string;
  /** Every open pledge, as of `asOf`. */
  readonly pledges: readonly PledgeValue[];
  readonly capacityPerMonth: ReadonlyMap<string, number>;
  /** Shipments in transit whose deadline is more than `stallAfterMs` before `asOf`. */
  readonly stalled: readonly { readonly shipmentId: string; readonly deadlineMs: number }[];
  /** `suspects` index members: `<reason>|<shipmentId>` and since when (ms). */
  readonly suspects: readonly { readonly member: string; readonly sinceMs: number }[];
  /** The known parties of the shipments in `stalled` and `suspects`, by shipment id. */
  readonly shipments: ReadonlyMap<string, ShipmentParties>;
  /** Alerts open now: the memory that hysteresis and debouncing need. */
  readonly open: readonly AlertValue[];
}

export type AlertDraft = Omit<AlertValue, 'alertId' | 'raisedAt'>;

export interface AlertTransitions {
  readonly raise: readonly AlertDraft[];
  readonly clear: readonly { readonly alert: AlertValue; readonly reason: string }[];
}

/**
 * Identity of an alert's condition: the same condition keeps one alert open. The parties an
 * alert's details name (`donor`, `recipient`, `producer`) are not part of it: a party learned
 * later does not make another alert.
 */
export function conditionKey(
  alert: Pick<AlertValue, 'kind' | 'entityType' | 'entityId' | 'details'>,
): string {
  return `${alert.kind}|${alert.entityType}|${alert.entityId}|${String(alert.details.reason ?? '')}`;
}

const CLEAR_REASONS: Record<AlertValue['kind'], string> = {
  'pledge-overdue': 'Pledge delivered, cancelled or given a later target date',
  'shipment-stalled': 'Shipment reported a milestone or was received',
  'capacity-shortfall': 'Declared capacity can meet the outstanding demand by the target dates',
  inconsistency: 'The facts agree again',
};

/**
 * The rules of DESIGN §6 as one pure function of what is known at `asOf` and of the alerts
 * open now. A condition that holds keeps its alert open; one that stops holding clears it; a
 * new one raises an alert when it is eligible: inconsistencies only after the grace period
 * (facts may simply arrive out of order), capacity shortfalls only beyond the band.
 */
export function evaluateAlerts(inputs: AlertInputs, policy: AlertPolicy): AlertTransitions {
  const open = new Map(inputs.open.map((alert) => [conditionKey(alert), alert]));
  const holding = new Map<string, { draft: AlertDraft; eligible: boolean }>();
  const hold = (draft: AlertDraft, eligible = true) =>
    holding.set(conditionKey(draft), { draft, eligible });

  for (const pledge of inputs.pledges) if (pledge.status === 'overdue') hold(overdue(pledge));
  const parties = (shipmentId: string) => inputs.shipments.get(shipmentId) ?? {};
  for (const { shipmentId, deadlineMs } of inputs.stalled)
    hold(stalled(shipmentId, deadlineMs, parties(shipmentId)));
  const asOfMs = Date.parse(inputs.asOf);
  for (const { member, sinceMs } of inputs.suspects) {
    const [reason, shipmentId] = splitSuspect(member);
    const draft = inconsistency(reason, shipmentId, parties(shipmentId));
    hold(draft, asOfMs - sinceMs >= policy.inconsistencyGraceMs);
  }
  for (const [itemCode, capacity] of inputs.capacityPerMonth) {
    if (capacity <= 0) continue;
    const ratio = shortfallRatio(inputs.pledges, itemCode, capacity, inputs.asOf.slice(0, 10));
    const key = conditionKey({
      kind: 'capacity-shortfall',
      entityType: 'item',
      entityId: itemCode,
      details: {},
    });
    const threshold = open.has(key) ? 1 - policy.shortfallBand : 1 + policy.shortfallBand;
    if (ratio > threshold) hold(shortfall(itemCode, capacity, ratio));
  }

  const raise = [...holding]
    .filter(([key, { eligible }]) => eligible && !open.has(key))
    .map(([, { draft }]) => draft);
  const clear = [...open]
    .filter(([key]) => !holding.has(key))
    .map(([, alert]) => ({ alert, reason: CLEAR_REASONS[alert.kind] }));
  return { raise, clear };
}

/** A `suspects` member's reason and shipment id. */
export function splitSuspect(member: string): [string, string] {
  const bar = member.indexOf('|');
  return [member.slice(0, bar), member.slice(bar + 1)];
}

/**
 * How far the outstanding demand of an item's open pledges, due by each target date, exceeds
 * what declared capacity makes by then (the worst date; Infinity when due today).
 */
export function shortfallRatio(
  pledges: readonly PledgeValue[],
  itemCode: string,
  capacityPerMonth: number,
  today: string,
): number {
  const due = pledges
    .filter((p) => p.itemCode === itemCode && p.targetDate !== null && p.targetDate >= today)
    .sort((a, b) => ((a.targetDate as string) < (b.targetDate as string) ? -1 : 1));
  let demand = 0;
  let worst = 0;
  for (const pledge of due) {
    demand += pledge.outstanding;
    const available = (capacityPerMonth * daysBetween(today, pledge.targetDate as string)) / 30;
    const ratio = available > 0 ? demand / available : demand > 0 ? Infinity : 0;
    worst = Math.max(worst, ratio);
  }
  return worst;
}

function overdue(pledge: PledgeValue): AlertDraft {
  return {
    kind: 'pledge-overdue',
    severity: 'warning',
    entityType: 'pledge',
    entityId: pledge.pledgeId,
    message: `Pledge of ${pledge.pledged} ${pledge.itemCode} by ${pledge.donor} is past its target date ${pledge.targetDate} with ${pledge.outstanding} outstanding`,
    details: {
      targetDate: pledge.targetDate ?? '',
      outstanding: pledge.outstanding,
      donor: pledge.donor,
      recipient: pledge.recipient,
    },
  };
}

function stalled(shipmentId: string, deadlineMs: number, parties: ShipmentParties): AlertDraft {
  const expectedBy = new Date(deadlineMs).toISOString();
  return {
    kind: 'shipment-stalled',
    severity: 'warning',
    entityType: 'shipment',
    entityId: shipmentId,
    message: `Shipment ${shipmentId} has reported nothing since it was expected at ${expectedBy}`,
    details: { expectedBy, ...parties },
  };
}

function inconsistency(reason: string, shipmentId: string, parties: ShipmentParties): AlertDraft {
  const message =
    reason === 'over-delivered'
      ? `Shipment ${shipmentId} was received in larger quantity than was dispatched`
      : `Shipment ${shipmentId} serves a pledge that was never announced`;
  return {
    kind: 'inconsistency',
    severity: 'critical',
    entityType: 'shipment',
    entityId: shipmentId,
    message,
    details: { reason, ...parties },
  };
}

function shortfall(itemCode: string, capacity: number, ratio: number): AlertDraft {
  const shown = Number.isFinite(ratio) ? Math.round(ratio * 100) / 100 : 999;
  return {
    kind: 'capacity-shortfall',
    severity: 'warning',
    entityType: 'item',
    entityId: itemCode,
    message: `Declared capacity for ${itemCode} (${capacity} a month) cannot meet the outstanding demand by its target dates (${shown}× what it makes in time)`,
    details: { unitsPerMonth: capacity, ratio: shown },
  };
}

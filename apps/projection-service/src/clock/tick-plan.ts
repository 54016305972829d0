import {
  ALERTS_CHANNEL,
  Cause,
  donorChannel,
  itemChannel,
  overviewChannel,
  pledgeChannel,
  PledgeValue,
  programmeChannel,
  StoredDoc,
} from '@tracker/read-model';
import { AlertInputs, AlertPolicy, evaluateAlerts } from '../alerts/alert-rules';
import { clearedEvent, raiseAlert, raisedEvent } from '../alerts/alert-events';
import { BatchChanges, noChanges, pledgeIncrements } from '../apply/batch-plan';
import { forecastFor, RECENT_OUTPUT_DAYS } from '../derive/forecast';
import { derivePledge, isOpen, NO_FORECAST } from '../derive/pledge-value';
import type { PledgeFacts } from '../facts/pledge.facts';
import { LotFacts, lotOutput } from '../facts/production.facts';

/** Type of the cause of updates made by the clock (not an event on Kafka). */
export const TICK_CAUSE_TYPE = 'tracker.projection.clock-tick';

export interface TickInputs {
  /** The new `asOf` (RFC 3339, UTC, on a whole minute). */
  readonly asOf: string;
  /** Every open pledge document, as loaded. */
  readonly pledges: readonly StoredDoc[];
  readonly lots: ReadonlyMap<string, LotFacts>;
  readonly capacityPerMonth: ReadonlyMap<string, number>;
  readonly stalled: AlertInputs['stalled'];
  readonly suspects: AlertInputs['suspects'];
  readonly shipments: AlertInputs['shipments'];
  readonly openAlerts: AlertInputs['open'];
}

const DAY_MS = 86_400_000;

/**
 * What one clock tick changes: every open pledge re-derived at the new `asOf` (overdue status,
 * days late) with a fresh forecast, the alert rules evaluated on the result, and `asOf` itself.
 * Pure, like the batch plan.
 */
export function planTick(inputs: TickInputs, policy: AlertPolicy): BatchChanges {
  const cause: Cause = { id: `tick:${inputs.asOf}`, type: TICK_CAUSE_TYPE, time: inputs.asOf };
  const emits = new Set<string>();
  const changes = noChanges();
  changes.meta.push({ field: 'asOf', value: inputs.asOf });
  const derived = inputs.pledges.flatMap((stored) => {
    const id = stored.key.slice('pledge:'.length);
    const facts = JSON.parse(stored.doc ?? '{}') as PledgeFacts;
    const value = derivePledge(id, facts, inputs.asOf, NO_FORECAST);
    return value === undefined ? [] : [{ stored, facts, value }];
  });
  const outstanding = new Map<string, number>();
  for (const { value } of derived) {
    if (isOpen(value.status))
      outstanding.set(value.itemCode, (outstanding.get(value.itemCode) ?? 0) + value.outstanding);
  }
  const pledges: PledgeValue[] = [];
  for (const { stored, facts, value } of derived) {
    const next = withTickForecast(value, facts, inputs.asOf, {
      lots: inputs.lots,
      capacityPerMonth: inputs.capacityPerMonth,
      outstanding,
    });
    if (isOpen(next.status)) pledges.push(next);
    const json = JSON.stringify(next);
    if (json === stored.value) continue;
    changes.docs.push({ key: stored.key, rev: stored.rev, doc: stored.doc ?? '{}', value: json });
    emits.add(pledgeChannel(next.pledgeId));
    const previous = stored.value === null ? undefined : (JSON.parse(stored.value) as PledgeValue);
    const increments = pledgeIncrements(previous, next);
    changes.increments.push(...increments);
    if (increments.length > 0) {
      for (const channel of [
        overviewChannel(),
        donorChannel(next.donor),
        itemChannel(next.itemCode),
        ...(next.programme ? [programmeChannel(next.programme)] : []),
      ])
        emits.add(channel);
    }
  }
  const transitions = evaluateAlerts(
    {
      asOf: inputs.asOf,
      pledges,
      capacityPerMonth: inputs.capacityPerMonth,
      stalled: inputs.stalled,
      suspects: inputs.suspects,
      shipments: inputs.shipments,
      open: inputs.openAlerts,
    },
    policy,
  );
  for (const draft of transitions.raise) {
    const alert = raiseAlert(draft, inputs.asOf);
    changes.alerts.push({ alertId: alert.alertId, value: alert });
    changes.outbox.push(JSON.stringify(raisedEvent(alert)));
  }
  for (const { alert, reason } of transitions.clear) {
    changes.alerts.push({ alertId: alert.alertId, value: null });
    changes.outbox.push(JSON.stringify(clearedEvent(alert, reason, inputs.asOf)));
  }
  if (changes.alerts.length > 0) emits.add(ALERTS_CHANNEL);
  changes.emits.push(...[...emits].map((channel) => ({ channel, cause })));
  return changes;
}

/** What a tick's forecast of a pledge reads besides the pledge: per item, capacity and outstanding. */
export interface TickForecastContext {
  readonly lots: ReadonlyMap<string, LotFacts>;
  readonly capacityPerMonth: ReadonlyMap<string, number>;
  /** Per item: the outstanding quantity of its open pledges. */
  readonly outstanding: ReadonlyMap<string, number>;
}

/**
 * A pledge's value after a tick at `asOf`, from its value derived then (with no forecast): an
 * open pledge gets a fresh forecast, any other is left as it is.
 */
export function withTickForecast(
  value: PledgeValue,
  facts: PledgeFacts,
  asOf: string,
  context: TickForecastContext,
): PledgeValue {
  if (!isOpen(value.status)) return value;
  return {
    ...value,
    forecast: forecastFor(value, asOf, {
      recentlyAllocated: recentlyAllocated(facts, context.lots, asOf),
      itemCapacityPerMonth: context.capacityPerMonth.get(value.itemCode) ?? 0,
      itemOutstanding: context.outstanding.get(value.itemCode) ?? 0,
    }),
  };
}

/** Allocated quantity from lots completed (and not rejected) in the recent-output window. */
function recentlyAllocated(
  facts: PledgeFacts,
  lots: ReadonlyMap<string, LotFacts>,
  asOf: string,
): number {
  const end = Date.parse(asOf);
  const start = end - RECENT_OUTPUT_DAYS * DAY_MS;
  let total = 0;
  for (const allocation of Object.values(facts.allocations)) {
    const lot = lots.get(allocation.lotId);
    const output = lot && lotOutput(lot);
    if (output === undefined) continue;
    const completed = Date.parse(output.completedAt);
    if (completed > start && completed <= end) total += allocation.quantity;
  }
  return total;
}

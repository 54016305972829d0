import type { AlertValue, PledgeValue } from '@tracker/read-model';
import { AlertInputs, DEFAULT_ALERT_POLICY, evaluateAlerts, shortfallRatio } from './alert-rules';
import { raiseAlert } from './alert-events';

const asOf = '2030-01-01T00:00:00.000Z';
const due = (outstanding: number, targetDate: string): PledgeValue =>
  ({
    pledgeId: `p-${targetDate}-${outstanding}`,
    itemCode: 'MBT',
    donor: 'DE',
    outstanding,
    pledged: outstanding,
    targetDate,
    status: 'announced',
  }) as PledgeValue;

function inputs(overrides: Partial<AlertInputs>): AlertInputs {
  return {
    asOf,
    pledges: [],
    capacityPerMonth: new Map(),
    stalled: [],
    suspects: [],
    shipments: new Map(),
    open: [],
    ...overrides,
  };
}

describe(evaluateAlerts.name, () => {
  it('measures a shortfall at the worst target date', () => {
    // 100 a month: 200 due in 30 days is twice what is made by then; 250 by 90 days is fine.
    expect(
      shortfallRatio([due(200, '2030-01-31'), due(50, '2030-04-01')], 'MBT', 100, '2030-01-01'),
    ).toBeCloseTo(2);
  });

  it('keeps a capacity shortfall as it was while the ratio stays inside the band', () => {
    const pledges = [due(105, '2030-01-31')];
    const capacityPerMonth = new Map([['MBT', 100]]);
    const closed = evaluateAlerts(inputs({ pledges, capacityPerMonth }), DEFAULT_ALERT_POLICY);
    expect(closed.raise).toEqual([]);
    const open = raiseAlert(
      evaluateAlerts(
        inputs({ pledges: [due(120, '2030-01-31')], capacityPerMonth }),
        DEFAULT_ALERT_POLICY,
      ).raise[0],
      asOf,
    );
    const stays = evaluateAlerts(
      inputs({ pledges, capacityPerMonth, open: [open] }),
      DEFAULT_ALERT_POLICY,
    );
    expect(stays).toEqual({ raise: [], clear: [] });
  });

  it('waits out the grace period before raising an inconsistency, and clears it at once', () => {
    const sinceMs = Date.parse(asOf) - 60_000;
    const suspects = [{ member: 'over-delivered|s-1', sinceMs }];
    expect(evaluateAlerts(inputs({ suspects }), DEFAULT_ALERT_POLICY).raise).toEqual([]);
    const later = inputs({ suspects, asOf: '2030-01-01T00:20:00.000Z' });
    const [draft] = evaluateAlerts(later, DEFAULT_ALERT_POLICY).raise;
    expect(draft).toMatchObject({
      kind: 'inconsistency',
      entityId: 's-1',
      details: { reason: 'over-delivered' },
    });
    const open: AlertValue = raiseAlert(draft, later.asOf);
    expect(evaluateAlerts(inputs({ open: [open] }), DEFAULT_ALERT_POLICY).clear).toEqual([
      { alert: open, reason: 'The facts agree again' },
    ]);
  });

  it('gives an alert raised at the same moment for the same condition the same id', () => {
    const draft = evaluateAlerts(
      inputs({ stalled: [{ shipmentId: 's-9', deadlineMs: 0 }] }),
      DEFAULT_ALERT_POLICY,
    ).raise[0];
    expect(raiseAlert(draft, asOf).alertId).toBe(raiseAlert(draft, asOf).alertId);
    expect(raiseAlert(draft, asOf).alertId).not.toBe(
      raiseAlert(draft, '2030-01-01T00:01:00.000Z').alertId,
    );
  });
});

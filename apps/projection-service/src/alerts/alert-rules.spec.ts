import { maySee, Viewer } from '@tracker/access';
import { alertFact } from '@tracker/access';
import { AlertValue, PledgeValue } from '@tracker/read-model';
import {
  AlertInputs,
  conditionKey,
  DEFAULT_ALERT_POLICY,
  evaluateAlerts,
  shortfallRatio,
} from './alert-rules';
import { raiseAlert } from './alert-events';

const asOf = '2030-01-01T00:00:00.000Z';
const due = (outstanding: number, targetDate: string): PledgeValue =>
  ({
    pledgeId: `p-${targetDate}-${outstanding}`,
    itemCode: 'MBT',
    donor: 'DE',
    recipient: 'UA',
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

describe('the parties alerts name', () => {
  const viewers: Record<string, Viewer> = {
    admin: { kind: 'admin' },
    donorDE: { kind: 'donor', country: 'DE' },
    donorPL: { kind: 'donor', country: 'PL' },
    recipientUA: { kind: 'recipient', country: 'UA' },
    rheinmetall: { kind: 'producer', org: 'rheinmetall' },
    nammo: { kind: 'producer', org: 'nammo' },
  };
  const seenBy = (alert: AlertValue) =>
    Object.entries(viewers)
      .filter(([, viewer]) => maySee(viewer, alertFact(alert)))
      .map(([name]) => name);
  const parties = new Map([['s-1', { donor: 'DE', recipient: 'UA', producer: 'rheinmetall' }]]);
  const stalled = [{ shipmentId: 's-1', deadlineMs: 0 }];

  it("names an overdue pledge's donor and recipient", () => {
    const overdue = { ...due(10, '2029-12-01'), status: 'overdue' } as PledgeValue;
    const [draft] = evaluateAlerts(inputs({ pledges: [overdue] }), DEFAULT_ALERT_POLICY).raise;
    expect(draft.details).toMatchObject({ donor: 'DE', recipient: 'UA' });
    expect(seenBy(raiseAlert(draft, asOf))).toEqual(['admin', 'donorDE', 'recipientUA']);
  });

  it("names a shipment's donor, recipient and sending producer when they are known", () => {
    const suspects = [{ member: 'over-delivered|s-1', sinceMs: 0 }];
    const { raise } = evaluateAlerts(
      inputs({ stalled, suspects, shipments: parties }),
      DEFAULT_ALERT_POLICY,
    );
    expect(raise.map(({ kind }) => kind)).toEqual(['shipment-stalled', 'inconsistency']);
    for (const draft of raise) {
      expect(draft.details).toMatchObject({
        donor: 'DE',
        recipient: 'UA',
        producer: 'rheinmetall',
      });
      expect(seenBy(raiseAlert(draft, asOf))).toEqual([
        'admin',
        'donorDE',
        'recipientUA',
        'rheinmetall',
      ]);
    }
  });

  it('names no one it does not know: such a shipment alert is for admin and ops', () => {
    const [draft] = evaluateAlerts(inputs({ stalled }), DEFAULT_ALERT_POLICY).raise;
    expect(draft.details).toEqual({ expectedBy: new Date(0).toISOString() });
    expect(seenBy(raiseAlert(draft, asOf))).toEqual(['admin']);
  });

  it('keeps one alert when its parties become known later: they are not its identity', () => {
    const [before] = evaluateAlerts(inputs({ stalled }), DEFAULT_ALERT_POLICY).raise;
    const [after] = evaluateAlerts(
      inputs({ stalled, shipments: parties }),
      DEFAULT_ALERT_POLICY,
    ).raise;
    expect(conditionKey(after)).toBe(conditionKey(before));
    expect(raiseAlert(after, asOf).alertId).toBe(raiseAlert(before, asOf).alertId);
    const open = raiseAlert(before, asOf);
    expect(
      evaluateAlerts(inputs({ stalled, shipments: parties, open: [open] }), DEFAULT_ALERT_POLICY),
    ).toEqual({ raise: [], clear: [] });
  });
});

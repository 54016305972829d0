import { Role } from '@tracker/config';
import { AlertsValue, AlertValue, parseChannel } from '@tracker/read-model';
import { channelDecision, scopedValue } from './channel-policy';

const admin: Role = { kind: 'admin' };
const ops: Role = { kind: 'ops' };
const germany: Role = { kind: 'donor', country: 'DE' };
const rheinmetall: Role = { kind: 'producer', org: 'rheinmetall' };

const decide = (role: Role, channel: string) => channelDecision(role, parseChannel(channel)!).kind;

describe(channelDecision.name, () => {
  it.each(['overview', 'alerts', 'feed', 'donor:FR', 'item:AMMO-155MM', 'pledge:p-1'])(
    'lets admin and ops read %s',
    (channel) => {
      expect(decide(admin, channel)).toBe('allow');
      expect(decide(ops, channel)).toBe('allow');
    },
  );

  it.each([
    ['overview', 'allow'],
    ['item:AMMO-155MM', 'allow'],
    ['feed', 'allow'],
    ['alerts', 'allow'],
    ['donor:DE', 'allow'],
    ['donor:FR', 'deny'],
    ['pledge:p-1', 'if-pledge-of'],
  ])('gives donor:DE %s: %s', (channel, decision) => {
    expect(decide(germany, channel)).toBe(decision);
  });

  it.each([
    ['overview', 'allow'],
    ['item:SAM-IRIS-T', 'allow'],
    ['feed', 'allow'],
    ['alerts', 'deny'],
    ['donor:DE', 'deny'],
    ['pledge:p-1', 'deny'],
  ])('gives a producer %s: %s', (channel, decision) => {
    expect(decide(rheinmetall, channel)).toBe(decision);
  });
});

describe(scopedValue.name, () => {
  const alert = (overrides: Partial<AlertValue>): AlertValue => ({
    alertId: 'a',
    kind: 'pledge-overdue',
    severity: 'warning',
    entityType: 'pledge',
    entityId: 'p-1',
    message: 'late',
    raisedAt: '2026-01-01T00:00:00Z',
    details: {},
    ...overrides,
  });
  const alerts: AlertsValue = {
    kind: 'alerts',
    open: [
      alert({ alertId: 'own-pledge', details: { donor: 'DE' } }),
      alert({ alertId: 'other-pledge', details: { donor: 'FR' } }),
      alert({ alertId: 'item', kind: 'capacity-shortfall', entityType: 'item', entityId: 'MBT' }),
      alert({ alertId: 'own-donor', entityType: 'donor', entityId: 'DE' }),
      alert({ alertId: 'other-donor', entityType: 'donor', entityId: 'PL' }),
      alert({ alertId: 'shipment', entityType: 'shipment', entityId: 's-1' }),
    ],
  };

  it('shows a donor only the alerts that concern it', () => {
    const scoped = scopedValue(germany, 'alerts', alerts) as AlertsValue;
    expect(scoped.open.map((open) => open.alertId)).toEqual(['own-pledge', 'item', 'own-donor']);
  });

  it('shows ops every alert and leaves other channels alone', () => {
    expect(scopedValue(ops, 'alerts', alerts)).toBe(alerts);
    expect(scopedValue(germany, 'overview', alerts)).toBe(alerts);
  });

  it('computes a donor view once per value', () => {
    expect(scopedValue(germany, 'alerts', alerts)).toBe(scopedValue(germany, 'alerts', alerts));
  });
});

import { Role } from '@tracker/config';
import { AlertsValue, AlertValue, ParsedChannel } from '@tracker/read-model';

/**
 * Whether a role may read a channel. `if-pledge-of` defers to the pledge's own `donor`, which
 * only the read model knows.
 */
export type ChannelDecision =
  | { readonly kind: 'allow' }
  | { readonly kind: 'deny' }
  | { readonly kind: 'if-pledge-of'; readonly donor: string };

const ALLOW: ChannelDecision = { kind: 'allow' };
const DENY: ChannelDecision = { kind: 'deny' };

/**
 * The read scopes of the gateway (apps/gateway/README.md, "Who reads what"):
 * - `admin`, `ops`: every channel;
 * - `donor:<CC>`: overview, items, feed, its own donor channel, its own pledges, and the alerts
 *   that concern it (see {@link scopedValue});
 * - `producer:<org>`, `recipient:<CC>`: overview, items and feed — the aggregate picture.
 */
export function channelDecision(role: Role, channel: ParsedChannel): ChannelDecision {
  switch (role.kind) {
    case 'admin':
    case 'ops':
      return ALLOW;
    case 'donor':
      return donorDecision(role.country, channel);
    case 'producer':
    case 'recipient':
      return channel.kind === 'overview' || channel.kind === 'item' || channel.kind === 'feed'
        ? ALLOW
        : DENY;
  }
}

function donorDecision(country: string, channel: ParsedChannel): ChannelDecision {
  switch (channel.kind) {
    case 'overview':
    case 'item':
    case 'feed':
    case 'alerts':
      return ALLOW;
    case 'donor':
      return channel.donor === country ? ALLOW : DENY;
    case 'pledge':
      return { kind: 'if-pledge-of', donor: country };
  }
}

/** True when a donor may see an alert: about itself, about an item, or naming it as donor. */
function alertConcerns(country: string, alert: AlertValue): boolean {
  if (alert.entityType === 'item') return true;
  if (alert.entityType === 'donor') return alert.entityId === country;
  return alert.details?.donor === country;
}

function isAlertsValue(value: unknown): value is AlertsValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as Partial<AlertsValue>).open)
  );
}

/** True when `role` sees a value of `channel` of its own rather than the value itself. */
export function isScoped(role: Role, channel: string): boolean {
  return channel === 'alerts' && role.kind === 'donor';
}

/**
 * The part of a channel's value a role sees. Only the alerts channel differs: a donor sees the
 * alerts that concern it. The result is cached per value object, as one update fans out to
 * many sockets of the same role.
 */
export function scopedValue(role: Role, channel: string, value: unknown): unknown {
  if (!isScoped(role, channel) || role.kind !== 'donor' || !isAlertsValue(value)) return value;
  let byCountry = scopedAlerts.get(value);
  if (byCountry === undefined) {
    byCountry = new Map();
    scopedAlerts.set(value, byCountry);
  }
  let scoped = byCountry.get(role.country);
  if (scoped === undefined) {
    scoped = { ...value, open: value.open.filter((alert) => alertConcerns(role.country, alert)) };
    byCountry.set(role.country, scoped);
  }
  return scoped;
}

const scopedAlerts = new WeakMap<AlertsValue, Map<string, AlertsValue>>();

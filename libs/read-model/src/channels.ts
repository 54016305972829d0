import type { DataClass } from '@tracker/access';
import type { ChannelName } from './reader';

/** A channel name taken apart. */
export type ParsedChannel =
  | { readonly kind: 'overview' }
  | { readonly kind: 'alerts' }
  | { readonly kind: 'feed' }
  | { readonly kind: 'donor'; readonly donor: string }
  | { readonly kind: 'item'; readonly itemCode: string }
  | { readonly kind: 'pledge'; readonly pledgeId: string }
  | { readonly kind: 'programme'; readonly programmeId: string };

/** Every kind of `/live` channel. */
export const CHANNEL_KINDS = [
  'overview',
  'donor',
  'item',
  'pledge',
  'programme',
  'alerts',
  'feed',
] as const;
export type ChannelKind = ParsedChannel['kind'];

/**
 * The data classes each kind of channel carries, which `scopeValue` cuts to what a viewer may
 * see (README, "Who sees what"); published as the `/live` channel's `x-access` in AsyncAPI.
 */
export const CHANNEL_ACCESS: Readonly<Record<ChannelKind, readonly DataClass[]>> = {
  overview: ['public', 'operational'],
  donor: ['public', 'operational'],
  item: ['public', 'operational', 'national', 'commercial'],
  pledge: ['public', 'operational'],
  programme: ['public'],
  alerts: ['public', 'operational', 'national', 'commercial'],
  feed: ['public', 'operational', 'national', 'commercial'],
};

const DONOR = /^[A-Z]{2}$/;
const ITEM = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;
const ITEM_MAX_LENGTH = 40;
// Entity ids are opaque (1–64 of [A-Za-z0-9._:-]) and may contain ':', so a pledge channel is
// split at its first ':' only.
const ENTITY_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The parts of a well-formed channel name, or undefined. */
export function parseChannel(channel: string): ParsedChannel | undefined {
  if (channel === 'overview' || channel === 'alerts' || channel === 'feed')
    return { kind: channel };
  const colon = channel.indexOf(':');
  if (colon < 0) return undefined;
  const id = channel.slice(colon + 1);
  switch (channel.slice(0, colon)) {
    case 'donor':
      return DONOR.test(id) ? { kind: 'donor', donor: id } : undefined;
    case 'item':
      return id.length <= ITEM_MAX_LENGTH && ITEM.test(id)
        ? { kind: 'item', itemCode: id }
        : undefined;
    case 'pledge':
      return ENTITY_ID.test(id) ? { kind: 'pledge', pledgeId: id } : undefined;
    case 'programme':
      // Programme codes follow the item code pattern (ProgrammeCode in the contracts).
      return id.length <= ITEM_MAX_LENGTH && ITEM.test(id)
        ? { kind: 'programme', programmeId: id }
        : undefined;
    default:
      return undefined;
  }
}

/** True when `channel` is a well-formed channel name. */
export function isKnownChannel(channel: string): boolean {
  return parseChannel(channel) !== undefined;
}

export const overviewChannel = (): ChannelName => 'overview';
export const donorChannel = (donor: string): ChannelName => `donor:${donor}`;
export const itemChannel = (itemCode: string): ChannelName => `item:${itemCode}`;
export const pledgeChannel = (pledgeId: string): ChannelName => `pledge:${pledgeId}`;
export const programmeChannel = (programmeId: string): ChannelName => `programme:${programmeId}`;
export const ALERTS_CHANNEL: ChannelName = 'alerts';
export const FEED_CHANNEL: ChannelName = 'feed';

import type Redis from 'ioredis';
import { HISTORY_PREFIX } from './pledge-history';
import { PUBLIC_LEDGER_SUFFIX } from './public-ledger';
import { TICK_LOG_SUFFIX } from './tick-log';

/** Namespace of the read model when none is given. */
export const DEFAULT_NAMESPACE = 'rm';

/** The epoch id used when no projection ever ran against this Redis (no history at all). */
export const NO_EPOCH = '0';

const NAMESPACE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Where one read model lives. Every key is `{<namespace>}:…`: one hash tag, so every key of the
 * model falls in one Redis Cluster slot and the atomic step (one Lua script touching many keys)
 * is legal on a cluster. Keys of one epoch are `{<namespace>}:<epoch>:…`.
 *
 * Lua scripts receive `KEYS[1]` (the epoch pointer, which ioredis prefixes with its `keyPrefix`
 * like any key) and `base` in ARGV: the same prefix as Redis sees it, `keyPrefix` included, from
 * which the scripts build every other key. A client with a `keyPrefix` (tests) therefore finds
 * the same keys from TypeScript and from Lua.
 */
export class KeySpace {
  /** `{<namespace>}:` without the client's keyPrefix: what TypeScript passes to ioredis. */
  readonly relative: string;
  /** `<keyPrefix>{<namespace>}:`: what Lua sees. */
  readonly base: string;

  constructor(redis: Redis, namespace = DEFAULT_NAMESPACE) {
    if (!NAMESPACE_PATTERN.test(namespace)) {
      throw new RangeError(`read-model namespace must match ${NAMESPACE_PATTERN}: ${namespace}`);
    }
    const keyPrefix = redis.options.keyPrefix ?? '';
    this.relative = `{${namespace}}:`;
    this.base = `${keyPrefix}${this.relative}`;
  }

  /** The current epoch's id (a string key). */
  get epochKey(): string {
    return `${this.relative}epoch`;
  }

  /** Alert CloudEvents waiting to be published (a list shared by every epoch). */
  get outboxKey(): string {
    return `${this.relative}outbox`;
  }

  /** Prefix of every key of one epoch, relative (for ioredis commands). */
  epochPrefix(epoch: string): string {
    return `${this.relative}${epoch}:`;
  }

  /** The change stream of an epoch, relative. */
  streamKey(epoch: string): string {
    return `${this.epochPrefix(epoch)}stream`;
  }

  /** The public ledger of an epoch (see ./public-ledger), relative. */
  publicLedgerKey(epoch: string): string {
    return `${this.epochPrefix(epoch)}${PUBLIC_LEDGER_SUFFIX}`;
  }

  /** The tick log of an epoch (see ./tick-log), relative. */
  tickLogKey(epoch: string): string {
    return `${this.epochPrefix(epoch)}${TICK_LOG_SUFFIX}`;
  }

  /** A pledge's history in an epoch (see ./pledge-history), relative. */
  historyKey(epoch: string, pledgeId: string): string {
    return `${this.epochPrefix(epoch)}${HISTORY_PREFIX}${pledgeId}`;
  }
}

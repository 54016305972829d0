import type { FeedEntry } from '@tracker/read-model';
import type Redis from 'ioredis';

/**
 * Keys of an epoch that belong to its history, not its state: never compared. A pledge's history
 * (`history:<id>`, numbered by `hseq`) records what each event changed in the order the events
 * were applied, so two epochs that applied them in other orders or batches differ there by
 * design; that its changes add up to the state is tested apart (history-explains-the-figures).
 * The tick log (`ticks`) records the clock ticks an epoch ran, and when: a rebuild runs its own.
 */
const HISTORY = new Set(['stream', 'meta', 'hseq', 'ticks']);
const isHistory = (name: string) => HISTORY.has(name) || name.startsWith('history:');

/**
 * Every key of one epoch with its content, type by type, keyed by the name after the epoch
 * prefix — so two epochs can be compared key by key. Document revisions (`r`, the write
 * counter used for optimistic concurrency) are left out, and so are the audiences of feed
 * entries: an audience names the parties its batch knew, so it depends on how the events were
 * batched (a milestone folded before its dispatch names none).
 */
export async function dumpEpoch(
  redis: Redis,
  base: string,
  epoch: string,
): Promise<Map<string, unknown>> {
  const keyPrefix = redis.options.keyPrefix ?? '';
  const prefix = `${base}${epoch}:`;
  const dump = new Map<string, unknown>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const full of keys) {
      const name = full.slice(prefix.length);
      if (isHistory(name)) continue;
      const key = full.slice(keyPrefix.length);
      const type = await redis.type(key);
      if (type === 'hash') {
        const hash = await redis.hgetall(key);
        delete hash.r;
        dump.set(name, Object.fromEntries(Object.entries(hash).sort()));
      } else if (type === 'zset') {
        const members = await redis.zrange(key, 0, -1, 'WITHSCORES');
        dump.set(name, name === 'feed' ? members.map(withoutAudience) : members);
      } else if (type === 'string') {
        dump.set(name, await redis.get(key));
      } else {
        dump.set(name, `unexpected ${type}`);
      }
    }
  } while (cursor !== '0');
  return dump;
}

/** A feed member without its audience; scores (every other element) pass unchanged. */
function withoutAudience(member: string, index: number): string {
  if (index % 2 === 1) return member;
  const { audience: _audience, ...entry } = JSON.parse(member) as FeedEntry;
  return JSON.stringify(entry);
}

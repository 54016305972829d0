import type Redis from 'ioredis';
import { isKnownChannel } from './channels';
import { decodeCursor, encodeCursor } from './cursor';
import { KeySpace, NO_EPOCH } from './keys';
import {
  HISTORY_LUA,
  PUBLIC_LEDGER_LUA,
  RESUME_LUA,
  SNAPSHOT_LUA,
  TAIL_CHECK_LUA,
} from './lua/read.lua';
import { LuaScript } from './lua-script';
import { present } from './present';
import type { PledgeHistoryEntry } from './pledge-history';
import type { PublicFact, RecordedPublicFact } from './public-ledger';
import type {
  Cause,
  ChannelName,
  ChannelUpdate,
  PublicLedgerMark,
  ReadModelReader,
  Resume,
  Snapshot,
} from './reader';

const snapshotScript = new LuaScript(SNAPSHOT_LUA);
const resumeScript = new LuaScript(RESUME_LUA);
const publicLedgerScript = new LuaScript(PUBLIC_LEDGER_LUA);
const historyScript = new LuaScript(HISTORY_LUA);

/**
 * Stream entries one resume script reads before it hands back: a resume of thousands of
 * entries is several short steps, between which Redis serves everyone else.
 */
const RESUME_CHUNK = 1024;
const tailCheckScript = new LuaScript(TAIL_CHECK_LUA);

/** Marks the end of a retired epoch's stream (written by the epoch switch). */
const END_OF_EPOCH = '#epoch';

type Raw = string | null;

/**
 * The gateway's view of the read model. `redis` serves the atomic reads (one Lua call each);
 * `tail` blocks on a duplicate of it, made on first use and closed when `redis` ends, so a
 * blocking XREAD never holds up the shared connection. Tails are served one after the other on
 * that connection: run one tail loop per process and fan its updates out.
 *
 * @param options.namespace the read model to read (default `rm`); tests use their own.
 */
export function createReadModelReader(
  redis: Redis,
  options: { namespace?: string } = {},
): ReadModelReader {
  return new RedisReadModelReader(redis, new KeySpace(redis, options.namespace));
}

class RedisReadModelReader implements ReadModelReader {
  private blocking?: Redis;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
  ) {}

  isKnownChannel(channel: string): boolean {
    return isKnownChannel(channel);
  }

  async snapshot(channels: readonly ChannelName[]): Promise<Snapshot> {
    const known = this.checked(channels);
    const reply = (await snapshotScript.run(
      this.redis,
      [this.keys.epochKey],
      [this.keys.base, ...known],
    )) as [string, string, ...Raw[]];
    const [epoch, id, ...raws] = reply;
    return snapshotOf(known, raws, encodeCursor(epoch, id));
  }

  async value(channel: ChannelName): Promise<unknown> {
    const { values } = await this.snapshot([channel]);
    return values[channel];
  }

  async resume(
    channels: readonly ChannelName[],
    since: string,
    maxReplay: number,
  ): Promise<Resume> {
    const known = this.checked(channels);
    const cursor = decodeCursor(since);
    if (cursor === undefined) {
      return { kind: 'reset', reason: 'malformed', snapshot: await this.snapshot(known) };
    }
    const updates: ChannelUpdate[] = [];
    let from = cursor.id;
    let budget = Math.max(0, Math.floor(maxReplay));
    for (;;) {
      const reply = (await resumeScript.run(
        this.redis,
        [this.keys.epochKey],
        [this.keys.base, cursor.epoch, from, budget, RESUME_CHUNK, ...known],
      )) as string[];
      if (reply[0] === 'reset') {
        const [, reason, epoch, id, ...raws] = reply as [
          string,
          Resume['kind'],
          string,
          string,
          ...Raw[],
        ];
        return {
          kind: 'reset',
          reason: reason as Extract<Resume, { kind: 'reset' }>['reason'],
          snapshot: snapshotOf(known, raws, encodeCursor(epoch, id)),
        };
      }
      const [kind, epoch, last] = reply;
      const more = kind === 'more';
      updates.push(...updatesOf(epoch, reply.slice(more ? 4 : 3)));
      if (!more) return { kind: 'replay', updates, cursor: encodeCursor(epoch, last) };
      from = last;
      budget -= Number(reply[3]);
    }
  }

  async tail(
    after: string,
    blockMs: number,
    count: number,
  ): Promise<{ updates: ChannelUpdate[]; cursor: string } | { reset: true }> {
    const cursor = decodeCursor(after);
    if (cursor === undefined || !(await this.usable(cursor.epoch, cursor.id))) {
      return { reset: true };
    }
    const reply = await this.blockingClient().xread(
      'COUNT',
      Math.max(1, Math.floor(count)),
      'BLOCK',
      Math.max(0, Math.floor(blockMs)),
      'STREAMS',
      this.keys.streamKey(cursor.epoch),
      cursor.id,
    );
    const entries = reply?.[0]?.[1] ?? [];
    if (entries.length === 0) return { updates: [], cursor: after };
    // Trimming may have removed entries between the check and the read: check again.
    if (!(await this.usable(cursor.epoch, cursor.id))) return { reset: true };
    const flat: Raw[] = [];
    for (const [id, fields] of entries) {
      const entry = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) entry.set(fields[i], fields[i + 1]);
      if (entry.get('c') === END_OF_EPOCH) return { reset: true };
      flat.push(id, entry.get('c') ?? '', entry.get('v') ?? null, entry.get('k') ?? '{}');
    }
    const updates = updatesOf(cursor.epoch, flat);
    return { updates, cursor: encodeCursor(cursor.epoch, entries[entries.length - 1][0]) };
  }

  async publicFacts(untilMs: number): Promise<RecordedPublicFact[]> {
    const flat = (await publicLedgerScript.run(
      this.redis,
      [this.keys.epochKey],
      [this.keys.base, String(untilMs)],
    )) as string[];
    const facts: RecordedPublicFact[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      facts.push({ fact: JSON.parse(flat[i]) as PublicFact, recordedMs: Number(flat[i + 1]) });
    return facts;
  }

  async pledgeHistory(pledgeId: string): Promise<PledgeHistoryEntry[]> {
    const raw = (await historyScript.run(
      this.redis,
      [this.keys.epochKey],
      [this.keys.base, pledgeId],
    )) as string[];
    return raw.map((json) => JSON.parse(json) as PledgeHistoryEntry).sort((a, b) => a.seq - b.seq);
  }

  async *publicFactPages(untilMs: number, pageSize: number): AsyncIterable<RecordedPublicFact[]> {
    const epoch = (await this.redis.get(this.keys.epochKey)) ?? NO_EPOCH;
    const key = this.keys.publicLedgerKey(epoch);
    for (let offset = 0; ; offset += pageSize) {
      const flat = await this.redis.zrangebyscore(
        key,
        '-inf',
        untilMs,
        'WITHSCORES',
        'LIMIT',
        offset,
        pageSize,
      );
      const facts: RecordedPublicFact[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2)
        facts.push({ fact: JSON.parse(flat[i]) as PublicFact, recordedMs: Number(flat[i + 1]) });
      if (facts.length > 0) yield facts;
      if (facts.length < pageSize) return;
    }
  }

  async publicLedgerMark(untilMs: number): Promise<PublicLedgerMark> {
    const epoch = (await this.redis.get(this.keys.epochKey)) ?? NO_EPOCH;
    const key = this.keys.publicLedgerKey(epoch);
    const [count, last] = await Promise.all([
      this.redis.zcount(key, '-inf', untilMs),
      this.redis.zrevrangebyscore(key, untilMs, '-inf', 'WITHSCORES', 'LIMIT', 0, 1),
    ]);
    return { count, lastMs: last.length === 2 ? Number(last[1]) : null };
  }

  private async usable(epoch: string, id: string): Promise<boolean> {
    const [, state] = (await tailCheckScript.run(
      this.redis,
      [this.keys.epochKey],
      [this.keys.base, epoch, id],
    )) as [string, string];
    return state === 'ok';
  }

  private blockingClient(): Redis {
    if (this.blocking === undefined) {
      const blocking = this.redis.duplicate();
      blocking.on('error', () => undefined);
      this.redis.once('end', () => blocking.disconnect());
      this.blocking = blocking;
    }
    return this.blocking;
  }

  private checked(channels: readonly ChannelName[]): ChannelName[] {
    const unique = [...new Set(channels)];
    const unknown = unique.filter((channel) => !isKnownChannel(channel));
    if (unknown.length > 0) throw new RangeError(`not a channel: ${unknown.join(', ')}`);
    return unique;
  }
}

function snapshotOf(
  channels: readonly ChannelName[],
  raws: readonly Raw[],
  cursor: string,
): Snapshot {
  const values: Record<ChannelName, unknown> = {};
  channels.forEach((channel, index) => {
    values[channel] = present(channel, raws[index] ?? null);
  });
  return { values, cursor };
}

/** Entries flattened as id, channel, raw value, cause JSON. */
function updatesOf(epoch: string, flat: readonly Raw[]): ChannelUpdate[] {
  const updates: ChannelUpdate[] = [];
  for (let i = 0; i + 3 < flat.length; i += 4) {
    const channel = flat[i + 1] as string;
    updates.push({
      channel,
      cursor: encodeCursor(epoch, flat[i] as string),
      value: present(channel, flat[i + 2]),
      cause: JSON.parse(flat[i + 3] ?? '{}') as Cause,
    });
  }
  return updates;
}

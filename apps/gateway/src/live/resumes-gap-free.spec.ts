import fc from 'fast-check';
import { ChannelUpdate } from '@tracker/read-model';
import { ChangeRound } from './change-round';
import { LiveUpdate } from './live.events';
import { LiveConnection, LiveSession } from './live-session';

// A client's state, built from a snapshot and the updates it received, and completed after a
// disconnect by replaying everything after its last cursor, must equal the server's state —
// however the stream was cut into rounds, however slowly the client read, wherever it dropped.

const CHANNELS = ['a', 'b', 'c', 'd'];
const cause = { id: 'e', type: 'tracker.test.v1', time: '2026-01-01T00:00:00Z' };
const seqOf = (cursor: string) => Number(cursor.slice(1));

/** Stream entries: each sets 1–3 channels to the entry's number; cursor `c<n>`. */
const streamArb = fc
  .array(fc.subarray(CHANNELS, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 40 })
  .map((entries) =>
    entries.flatMap((channels, index) =>
      channels.map((channel): ChannelUpdate => {
        const cursor = `c${index + 1}`;
        return { channel, cursor, value: index + 1, cause };
      }),
    ),
  );

function roundsOf(raw: ChannelUpdate[], cuts: number[]): ChangeRound[] {
  const rounds: ChangeRound[] = [];
  let from = 'c0';
  let start = 0;
  const ends = [...new Set(cuts.map((cut) => cut % raw.length))].sort((a, b) => a - b);
  for (const end of [...ends, raw.length - 1]) {
    // A round ends at an entry boundary: tail reads whole entries.
    let last = end;
    while (raw[last + 1]?.cursor === raw[last].cursor) last += 1;
    if (last < start) continue;
    const slice = raw.slice(start, last + 1);
    const to = slice[slice.length - 1].cursor;
    rounds.push(new ChangeRound(from, to, slice));
    from = to;
    start = last + 1;
  }
  return rounds;
}

function stateAt(raw: readonly ChannelUpdate[], channels: readonly string[], seq: number) {
  const state: Record<string, unknown> = Object.fromEntries(channels.map((c) => [c, null]));
  for (const update of raw) {
    if (seqOf(update.cursor) <= seq && update.channel in state)
      state[update.channel] = update.value;
  }
  return state;
}

class Client implements LiveConnection {
  readonly received: LiveUpdate[] = [];
  open = true;
  /** The connection drops after this many updates. */
  constructor(private readonly dropAfter = Infinity) {}
  get connected() {
    return this.received.length < this.dropAfter;
  }
  writable = () => this.open && this.connected;
  write = (update: LiveUpdate) => {
    if (this.connected) this.received.push(update);
  };
  reset = () => undefined;
}

describe('a client that drops and resumes from its last cursor', () => {
  it('ends with exactly the server state, never seeing a cursor go back', () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.subarray(CHANNELS, { minLength: 1 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        (raw, cuts, channels, bufferLimit, writability, dropAfter) => {
          const rounds = roundsOf(raw, cuts);
          const client = new Client(dropAfter % (raw.length + 1));
          const session = new LiveSession('s', { kind: 'admin' }, client, bufferLimit);
          let cursor = '';
          session.pause('c0');
          void session.join(
            {
              cursor: 'c0',
              channels,
              keepCurrent: true,
              replayed: [],
              reply: () => (cursor = 'c0'),
            },
            1000,
          );
          const state = stateAt(raw, channels, 0);
          rounds.forEach((round, index) => {
            client.open = writability[index % writability.length];
            session.deliver(
              round,
              round.items.filter((item) => channels.includes(item.update.channel)),
            );
          });
          client.open = true;
          session.outbox.flush();
          const labels = client.received.map((update) => seqOf(update.cursor));
          expect(labels).toEqual([...labels].sort((a, b) => a - b));
          for (const update of client.received) state[update.channel] = update.value;
          cursor = client.received.at(-1)?.cursor ?? cursor;
          for (const update of raw) {
            if (seqOf(update.cursor) > seqOf(cursor) && update.channel in state) {
              state[update.channel] = update.value;
            }
          }
          expect(state).toEqual(stateAt(raw, channels, Infinity));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('a subscription joining the stream mid-round', () => {
  it('gets every update after its snapshot once, and nothing older', () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.subarray(CHANNELS, { minLength: 1 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (raw, cuts, channels, pausedAt, snapshotAt, joinAfter) => {
          const rounds = roundsOf(raw, cuts);
          const client = new Client();
          const session = new LiveSession('s', { kind: 'admin' }, client, 100);
          // The feed stands at the end of some round; the snapshot is at or after it.
          const pauseRound = pausedAt % (rounds.length + 1);
          const feedCursor = pauseRound === 0 ? 'c0' : rounds[pauseRound - 1].to;
          const last = seqOf(rounds[rounds.length - 1].to);
          const snapshotSeq = seqOf(feedCursor) + (snapshotAt % (last - seqOf(feedCursor) + 1));
          const cursor = snapshotSeq === 0 ? 'c0' : `c${snapshotSeq}`;
          const state = stateAt(raw, channels, seqOf(cursor));
          let acked = false;
          const offer = (round: ChangeRound) => {
            if (session.paused) session.buffer(round);
            else
              session.deliver(
                round,
                round.items.filter((item) => channels.includes(item.update.channel)),
              );
          };
          session.pause(feedCursor);
          // The snapshot's read returns while the feed goes on: some rounds come before the join.
          const later = rounds.slice(pauseRound);
          const early = joinAfter % (later.length + 1);
          later.slice(0, early).forEach(offer);
          const joined = session.join(
            { cursor, channels, keepCurrent: true, replayed: [], reply: () => (acked = true) },
            1000,
          );
          void joined.catch(() => undefined);
          later.slice(early).forEach(offer);
          expect(acked).toBe(true);
          for (const update of client.received) {
            expect(update.value as number).toBeGreaterThan(seqOf(cursor));
            state[update.channel] = update.value;
          }
          expect(state).toEqual(stateAt(raw, channels, Infinity));
        },
      ),
      { numRuns: 500 },
    );
  });
});

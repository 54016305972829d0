import { ChannelUpdate } from '@tracker/read-model';
import { ChangeRound } from './change-round';

const cause = { id: 'e', type: 'tracker.test.v1', time: '2026-01-01T00:00:00Z' };
const update = (channel: string, cursor: string, value: unknown): ChannelUpdate => ({
  channel,
  cursor,
  value,
  cause,
});

describe(ChangeRound.name, () => {
  const round = new ChangeRound('c0', 'c4', [
    update('a', 'c1', 1),
    update('b', 'c1', 1),
    update('a', 'c2', 2),
    update('c', 'c3', 3),
    update('b', 'c4', 4),
  ]);

  it('keeps the latest update per channel, in the order of those latest updates', () => {
    expect(round.items.map((item) => [item.update.channel, item.update.value])).toEqual([
      ['a', 2],
      ['c', 3],
      ['b', 4],
    ]);
    expect(round.items.map((item) => item.rawIndex)).toEqual([2, 3, 4]);
  });

  it('knows where each cursor falls, from before the first update to the end', () => {
    expect(round.positionOf('c0')).toBe(-1);
    expect(round.positionOf('c1')).toBe(1);
    expect(round.positionOf('c3')).toBe(3);
    expect(round.positionOf('c4')).toBe(4);
    expect(round.positionOf('c9')).toBeUndefined();
  });

  it('marks the items that close their stream entry', () => {
    const shared = new ChangeRound('c0', 'c1', [update('a', 'c1', 1), update('b', 'c1', 1)]);
    expect(shared.items.map((item) => item.endsEntry)).toEqual([false, true]);
  });
});

import { ChannelUpdate } from '@tracker/read-model';

/** The latest update of one channel within a round, and where it stood in the raw stream. */
export interface RoundItem {
  readonly update: ChannelUpdate;
  /** Index in the round's raw updates of this channel's last update. */
  readonly rawIndex: number;
  /** True when no later raw update of the round shares this update's cursor. */
  readonly endsEntry: boolean;
}

/**
 * One read of the change stream, from cursor `from` to cursor `to`, merged to the latest update
 * per channel (a channel's value is its full state, so the intermediate ones add nothing). Items
 * keep the order of their channel's last raw update, so every prefix of the items is a state
 * the stream really passed through for the channels in it.
 */
export class ChangeRound {
  readonly items: readonly RoundItem[];
  private positions?: Map<string, number>;

  constructor(
    readonly from: string,
    readonly to: string,
    private readonly raw: readonly ChannelUpdate[],
  ) {
    const last = new Map<string, number>();
    raw.forEach((update, index) => last.set(update.channel, index));
    this.items = [...last.values()]
      .sort((a, b) => a - b)
      .map((rawIndex) => ({
        update: raw[rawIndex],
        rawIndex,
        endsEntry: raw[rawIndex + 1]?.cursor !== raw[rawIndex].cursor,
      }));
  }

  /**
   * Where `cursor` falls in this round: -1 for `from` (before every update), the raw index of
   * the last update at `cursor`, or undefined when the round does not contain it.
   */
  positionOf(cursor: string): number | undefined {
    if (cursor === this.from) return -1;
    if (cursor === this.to) return this.raw.length - 1;
    this.positions ??= new Map(this.raw.map((update, index) => [update.cursor, index]));
    return this.positions.get(cursor);
  }
}

/**
 * The epoch's tick log (`{ns}:<E>:ticks`, a sorted set): one member per clock tick applied,
 * `{"asOf", "wallMs", "offsets"}` scored by `wallMs` (Redis's clock when the step ran), with the
 * epoch's stored offsets at that moment: exactly which records were folded before the tick.
 * Time travel reads it to replay the picture as it was shown (`knownAt`).
 */
export const TICK_LOG_SUFFIX = 'ticks';

/** An entry of the tick log. */
export interface TickLogEntry {
  readonly asOf: string;
  readonly wallMs: number;
  readonly offsets: Readonly<Record<string, number>>;
}

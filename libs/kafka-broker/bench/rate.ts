/** What a benchmark scenario moved: messages, payload bytes (values only), in how long. */
export interface Rate {
  readonly messages: number;
  readonly bytes: number;
  readonly seconds: number;
}

export function messagesPerSecond(rate: Rate): number {
  return rate.messages / rate.seconds;
}

export function megabytesPerSecond(rate: Rate): number {
  return rate.bytes / rate.seconds / 1_000_000;
}

/** The value at quantile `q` (0..1) of `samples` (nearest rank). */
export function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

import { afterFailure, backoffCeilingMs, RetryPolicy } from './backoff';

const day: RetryPolicy = { initialMs: 5_000, maxMs: 3_600_000, retryForMs: 86_400_000 };

describe('the retry schedule', () => {
  it('doubles the ceiling per attempt from the first delay up to the largest', () => {
    const ceilings = [1, 2, 3, 4, 5, 10, 11, 12, 100].map((n) => backoffCeilingMs(n, day));
    expect(ceilings).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 2_560_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
  });

  it('draws each delay uniformly below its ceiling (full jitter)', () => {
    const first = new Date('2026-01-01T00:00:00Z');
    const now = new Date('2026-01-01T00:01:00Z');
    expect(afterFailure(3, first, now, day, () => 0)).toEqual({ kind: 'retry', at: now });
    expect(afterFailure(3, first, now, day, () => 0.5)).toEqual({
      kind: 'retry',
      at: new Date(now.getTime() + 10_000),
    });
    expect(afterFailure(3, first, now, day, () => 0.999999)).toEqual({
      kind: 'retry',
      at: new Date(now.getTime() + 19_999),
    });
  });

  it('parks a delivery whose next try would fall more than a day after its first', () => {
    const first = new Date('2026-01-01T00:00:00Z');
    const late = new Date(first.getTime() + day.retryForMs - 1_000);
    expect(afterFailure(30, first, late, day, () => 0)).toEqual({ kind: 'retry', at: late });
    expect(afterFailure(30, first, late, day, () => 0.5)).toEqual({ kind: 'park' });
  });

  it('keeps retrying for a day at most: about 30 attempts with the defaults', () => {
    const first = new Date(0);
    let now = first;
    let attempts = 1;
    for (;;) {
      const next = afterFailure(attempts, first, now, day, () => 1);
      if (next.kind === 'park') break;
      now = next.at;
      attempts += 1;
    }
    expect(now.getTime()).toBeLessThanOrEqual(day.retryForMs);
    expect(attempts).toBeGreaterThan(25);
    expect(attempts).toBeLessThan(40);
  });
});

import { addressKey, SlidingWindowLimiter } from './sliding-window';

describe('SlidingWindowLimiter', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 600_000; // a window boundary
  });

  function takeAll(limiter: SlidingWindowLimiter, key: string, count: number): number {
    let allowed = 0;
    for (let n = 0; n < count; n += 1) if (limiter.take(key).allowed) allowed += 1;
    return allowed;
  }

  it('allows the limit within a window, then refuses with a Retry-After', () => {
    const limiter = new SlidingWindowLimiter(10, 60_000, clock);
    expect(takeAll(limiter, 'a', 10)).toBe(10);
    const refused = limiter.take('a');
    expect(refused.allowed).toBe(false);
    // The whole window is full: the next one starts in 60 s and this one's share must fade 10%.
    expect(refused.retryAfterSeconds).toBe(66);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('does not let a burst straddling the window boundary double the limit', () => {
    const limiter = new SlidingWindowLimiter(100, 60_000, clock);
    now += 59_000;
    expect(takeAll(limiter, 'a', 100)).toBe(100);
    now += 2_000; // just past the boundary: the previous window still weighs 58/60
    const allowed = takeAll(limiter, 'a', 100);
    expect(allowed).toBeLessThanOrEqual(4);
    // Half a window later, half of the previous window's count has faded.
    now += 29_000;
    expect(takeAll(limiter, 'a', 100)).toBe(50 - allowed);
    // Two windows later nothing weighs.
    now += 120_000;
    expect(takeAll(limiter, 'a', 200)).toBe(100);
  });

  it('says how long until one more fits, and it does fit then', () => {
    const limiter = new SlidingWindowLimiter(30, 60_000, clock);
    now += 30_000;
    takeAll(limiter, 'a', 30);
    now += 40_000; // 10 s into the next window: the previous weighs 5/6, 25 events
    for (let n = 0; n < 28; n += 1) limiter.record('a');
    const refused = limiter.check('a');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 48 });
    now += (refused.retryAfterSeconds - 1) * 1000;
    expect(limiter.check('a').allowed).toBe(false);
    now += 1000;
    expect(limiter.check('a').allowed).toBe(true);
  });

  it('counts recorded failures even past the limit, so blocking lasts while they go on', () => {
    const limiter = new SlidingWindowLimiter(3, 60_000, clock);
    for (let n = 0; n < 3; n += 1) limiter.record('ip');
    expect(limiter.check('ip').allowed).toBe(false);
    limiter.record('ip');
    expect(limiter.check('ip').retryAfterSeconds).toBeGreaterThan(60);
    expect(limiter.check('other').allowed).toBe(true);
  });

  it('holds the same state for a key however many events it had', () => {
    const limiter = new SlidingWindowLimiter(10_000_000, 60_000, clock);
    // Deterministic stand-in for "O(1) per call": a log of hits would grow with every event.
    const state = () => Object.keys(limiter['windows'].get('busy') ?? {}).sort();
    limiter.take('busy');
    const early = state();
    for (let n = 0; n < 1_000_000; n += 1) limiter.take('busy');
    expect(state()).toEqual(early);
    expect(Object.values(limiter['windows'].get('busy') ?? {})).toHaveLength(3);
    expect(limiter.size).toBe(1);
  });

  it('forgets keys idle for two windows', () => {
    const limiter = new SlidingWindowLimiter(5, 60_000, clock);
    for (let n = 0; n < 1000; n += 1) limiter.take(`key-${n}`);
    expect(limiter.size).toBe(1000);
    now += 180_000;
    limiter.check('anything');
    expect(limiter.size).toBe(0);
  });
});

describe('addressKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['2001:0db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('counts %s as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

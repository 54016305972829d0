import { decideRestart, DEFAULT_RESTART_POLICY } from './restart-policy';

const now = 1_000_000;
const ago = (ms: number) => now - ms;

describe(decideRestart.name, () => {
  it('restarts with a doubling delay: 0.5 s, 1 s, 2 s, 4 s', () => {
    const delays = [1, 2, 3, 4].map((count) => {
      const crashes = Array.from({ length: count }, (_, index) => ago(index * 1000));
      return decideRestart(crashes, now);
    });
    expect(delays).toEqual([
      { giveUp: false, delayMs: 500, crashesInWindow: 1 },
      { giveUp: false, delayMs: 1000, crashesInWindow: 2 },
      { giveUp: false, delayMs: 2000, crashesInWindow: 3 },
      { giveUp: false, delayMs: 4000, crashesInWindow: 4 },
    ]);
  });

  it('gives up on the fifth crash within a minute', () => {
    const crashes = [ago(50_000), ago(30_000), ago(20_000), ago(10_000), now];
    expect(decideRestart(crashes, now)).toEqual({ giveUp: true, crashesInWindow: 5 });
  });

  it('forgets crashes older than the window', () => {
    const crashes = [ago(300_000), ago(200_000), ago(120_000), ago(61_000), now];
    expect(decideRestart(crashes, now)).toEqual({
      giveUp: false,
      delayMs: 500,
      crashesInWindow: 1,
    });
  });

  it('never waits longer than the cap', () => {
    const policy = { ...DEFAULT_RESTART_POLICY, maxCrashes: 100 };
    const crashes = Array.from({ length: 20 }, (_, index) => ago(index));
    expect(decideRestart(crashes, now, policy)).toMatchObject({ delayMs: policy.maxDelayMs });
  });
});

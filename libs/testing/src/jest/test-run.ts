interface TestRun {
  broker?: { stop(): Promise<void>; dataDir: string };
}

const holder = globalThis as typeof globalThis & { __trackerTestRun?: TestRun };

/**
 * What global setup started for this test run, for global teardown to stop. Kept on `globalThis`:
 * Jest runs both hooks in its parent process but may load each through its own module registry.
 */
export const testRun: TestRun = (holder.__trackerTestRun ??= {});

import { waitFor } from '@tracker/testing';
import { ProjectionHarness } from './projection-harness';
import { ProjectionProcess } from './projection-process';
import { Random } from './random';
import { referenceModel } from './reference-model';
import { generateScenario } from './scenario';

describe('a projection SIGKILLed at random points', () => {
  const harness = new ProjectionHarness('crash');
  const scenario = generateScenario(9001, { pledges: 2400 });
  const processes: ProjectionProcess[] = [];

  afterAll(async () => {
    await Promise.all(processes.map((child) => child.kill()));
    await harness.cleanup();
  });

  /** Events applied so far: the sum of the stored offsets of the current epoch. */
  async function progress(): Promise<bigint> {
    const writer = harness.writer();
    const epoch = await writer.currentEpoch();
    if (epoch === null) return 0n;
    let total = 0n;
    for (const offset of (await writer.offsets(epoch)).values()) total += BigInt(offset);
    return total;
  }

  it('counts every event exactly once after several restarts', async () => {
    expect(scenario.events.length).toBeGreaterThanOrEqual(20_000);
    await harness.createTopics(3);
    await harness.publish(scenario.stream);
    const random = new Random(1);
    const total = BigInt(scenario.stream.length);
    for (let restart = 0; restart < 4; restart += 1) {
      const child = new ProjectionProcess(harness);
      processes.push(child);
      const from = await progress();
      // Kill after a random share of what is left, at whatever point the process then is.
      const goal = from + ((total - from) * BigInt(random.int(5, 30))) / 100n;
      child.start();
      await waitFor(`progress past ${goal}`, async () => (await progress()) >= goal, {
        timeoutMs: 90_000,
      });
      await child.kill();
    }
    const last = new ProjectionProcess(harness);
    processes.push(last);
    last.start();
    await harness.caughtUp(180_000);
    await last.stop();

    await expect(harness.differences(referenceModel(scenario.events))).resolves.toEqual([]);
  }, 420_000);
});

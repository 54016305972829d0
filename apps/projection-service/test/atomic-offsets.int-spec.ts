// Catches a projection that stores its consumed offsets outside the atomic Lua step (a separate
// command before or after it): a reader then catches events applied whose offsets are not
// stored (or the reverse), as a SIGKILL between the two writes would leave them. The dedupe set
// of applied event ids hides the re-read such a kill causes, so the folded model alone cannot.
import { KeySpace } from '@tracker/read-model';
import { waitFor } from '@tracker/testing';
import { ProjectionHarness } from './projection-harness';
import { ProjectionProcess } from './projection-process';
import { Random } from './random';
import { generateScenario } from './scenario';

/** Events applied (ids in the dedupe set) and the sum of the stored offsets, read in one step. */
interface Progress {
  readonly applied: number;
  readonly stored: number;
}

describe('the offsets of a projection SIGKILLed mid-stream', () => {
  const harness = new ProjectionHarness('atomic-offsets');
  // Every event once: each stored offset then stands for exactly one applied event id.
  const scenario = generateScenario(4242, { pledges: 500, duplicates: 0 });
  const keys = new KeySpace(harness.client, harness.namespace);
  const processes: ProjectionProcess[] = [];

  afterAll(async () => {
    await Promise.all(processes.map((child) => child.kill()));
    await harness.cleanup();
  });

  async function progress(epoch: string): Promise<Progress> {
    const prefix = keys.epochPrefix(epoch);
    const replies = await harness.client
      .multi()
      .zcard(`${prefix}seen`)
      .hvals(`${prefix}off`)
      .exec();
    const [[, applied], [, offsets]] = replies as [[null, number], [null, string[]]];
    return { applied, stored: offsets.reduce((sum, offset) => sum + Number(offset), 0) };
  }

  /** Reads progress back to back until `done()`; returns every reading whose two halves differ. */
  async function watch(epoch: string, done: () => boolean): Promise<Progress[]> {
    const torn: Progress[] = [];
    while (!done()) {
      const reading = await progress(epoch);
      if (reading.applied !== reading.stored) torn.push(reading);
    }
    return torn;
  }

  function started(): ProjectionProcess {
    const child = new ProjectionProcess(harness);
    processes.push(child);
    child.start();
    return child;
  }

  it('are stored in the same step as the events they apply: at every moment and after every kill', async () => {
    await harness.createTopics(3);
    await harness.publish(scenario.stream);
    const total = scenario.stream.length;
    const random = new Random(3);
    let child = started();
    const writer = harness.writer();
    const epoch = await waitFor(
      'the projection to start an epoch',
      async () => (await writer.currentEpoch()) ?? undefined,
      { timeoutMs: 30_000 },
    );
    let finished = false;
    const watching = watch(epoch, () => finished);
    const afterKills: Progress[] = [];
    for (let kill = 0; kill < 3; kill += 1) {
      const from = (await progress(epoch)).stored;
      const goal = from + Math.floor(((total - from) * random.int(10, 35)) / 100);
      await waitFor(`progress past ${goal}`, async () => (await progress(epoch)).stored >= goal, {
        timeoutMs: 30_000,
      });
      await child.kill();
      afterKills.push(await progress(epoch));
      child = started();
    }
    await harness.caughtUp(30_000);
    await child.stop();
    finished = true;

    expect(await watching).toEqual([]);
    for (const reading of afterKills) expect(reading.applied).toBe(reading.stored);
    expect(await progress(epoch)).toEqual({ applied: total, stored: total });
  }, 60_000);
});

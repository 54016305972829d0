import { ProjectionHarness } from './projection-harness';
import { referenceModel } from './reference-model';
import { generateScenario } from './scenario';
import { waitFor } from '@tracker/testing';

describe('two projection instances in one group', () => {
  const harness = new ProjectionHarness('scale-out');
  const scenario = generateScenario(4242, { pledges: 2400 });

  afterAll(async () => {
    await harness.cleanup();
  });

  it('split the partitions and give exactly the aggregates of one, across rebalances mid-stream', async () => {
    expect(scenario.events.length).toBeGreaterThanOrEqual(20_000);
    await harness.createTopics(4);
    const stream = scenario.stream;
    const part = (from: number, to: number) =>
      stream.slice(Math.floor(stream.length * from), Math.floor(stream.length * to));
    const first = harness.projection({ settings: { sessionTimeoutMs: 6000 } });
    const second = harness.projection({ settings: { sessionTimeoutMs: 6000 } });
    const applied = async (projection: typeof first) =>
      /projection_events_applied_total\{[^}]*\} [1-9]/.test(await projection.metrics.text());

    await harness.publish(part(0, 0.3));
    await first.start();
    await waitFor('the first instance to apply something', () => applied(first), {
      timeoutMs: 30_000,
    });
    await second.start();
    await harness.publish(part(0.3, 0.7));
    await waitFor('the second instance to apply something', () => applied(second), {
      timeoutMs: 60_000,
    });
    // A third rebalance: the first leaves mid-stream and the second takes all partitions.
    await harness.publish(part(0.7, 0.85));
    await first.stop();
    await harness.publish(part(0.85, 1));
    await harness.caughtUp();

    await expect(harness.differences(referenceModel(scenario.events))).resolves.toEqual([]);
  }, 240_000);
});

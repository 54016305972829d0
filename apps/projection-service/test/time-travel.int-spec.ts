import type { TrackerEvent } from '@tracker/contracts';
import { waitFor } from '@tracker/testing';
import { DEFAULT_ALERT_POLICY } from '../src/alerts/alert-rules';
import { EventTimeClock } from '../src/clock/clock';
import { LogFollower } from '../src/time-travel/log-follower';
import { foldRecords, tickModel } from '../src/time-travel/memory-fold';
import { MemoryModel } from '../src/time-travel/memory-model';
import { TimeTravel } from '../src/time-travel/time-travel';
import { ProjectionHarness, silent } from './projection-harness';
import { recordedAtEventTime } from './recorded';
import { generateScenario } from './scenario';

const ROUNDS = 4;

/** The channels a round captures: the overview, a donor, an item and a pledge it knows. */
function channelsOf(events: readonly TrackerEvent[]): string[] {
  const announced = events.find((event) => event.type === 'tracker.pledge.announced.v1');
  if (announced?.type !== 'tracker.pledge.announced.v1') throw new Error('no pledge announced');
  return [
    'overview',
    `donor:${announced.data.donor}`,
    `item:${announced.data.itemCode}`,
    `pledge:${announced.data.pledgeId}`,
  ];
}

describe('time travel over a live projection', () => {
  const harness = new ProjectionHarness('time-travel');
  let follower: LogFollower | undefined;

  afterAll(async () => {
    await follower?.stop();
    await harness.cleanup();
  });

  it('knownAt=T equals the live reads captured at T, and asOf=T a replay of what happened by T', async () => {
    await harness.createTopics(3);
    const projection = harness.projection({ clock: new EventTimeClock() });
    await projection.start();
    const travel = new TimeTravel({ checkpointEvery: 40 });
    follower = new LogFollower(harness.kafka, harness.client, travel, silent, {
      groupPrefix: harness.groupPrefix,
      topics: harness.topics,
      namespace: harness.namespace,
      pollMs: 200,
    });
    await follower.start();

    const { stream } = generateScenario(2026, { pledges: 40, duplicates: 0.1 });
    const size = Math.ceil(stream.length / ROUNDS);
    const reader = harness.reader();
    const captured: { timeMs: number; values: Record<string, unknown> }[] = [];
    let channels: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // Written between the reads: each round's records come after the previous capture.
      const previous = captured.at(-1)?.timeMs ?? 0;
      await waitFor('the clock to pass the previous capture', () => Date.now() > previous);
      await harness.publish(stream.slice(round * size, (round + 1) * size));
      await harness.caughtUp();
      await projection.tick();
      if (round === 0) channels = channelsOf(stream.slice(0, size));
      const { values } = await reader.snapshot(channels);
      const timeMs = Date.now();
      captured.push({ timeMs, values });
      await waitFor('the clock to pass the capture', () => Date.now() > timeMs);
    }

    // Every round changed what the reads showed: each capture is a different picture.
    expect(new Set(captured.map(({ values }) => JSON.stringify(values))).size).toBe(ROUNDS);
    await waitFor('time travel to read the whole log', () => follower!.status.ready, {
      timeoutMs: 60_000,
    });
    expect(await follower.sync()).toBe(true);
    for (const { timeMs, values } of captured) {
      const model = travel.knownAt(timeMs);
      for (const channel of channels) {
        expect({ timeMs, channel, value: model.value(channel) }).toEqual({
          timeMs,
          channel,
          value: values[channel],
        });
      }
    }

    const times = stream.map((event) => Date.parse(event.time)).sort((a, b) => a - b);
    for (const share of [0.2, 0.5, 0.9]) {
      const timeMs = times[Math.floor(share * times.length)];
      const replay = new MemoryModel({ journals: false });
      foldRecords(
        replay,
        recordedAtEventTime(stream.filter((event) => Date.parse(event.time) <= timeMs)),
      );
      tickModel(replay, new Date(timeMs).toISOString(), DEFAULT_ALERT_POLICY);
      for (const channel of channels)
        expect({ timeMs, channel, value: travel.asOf(timeMs, channel) }).toEqual({
          timeMs,
          channel,
          value: replay.value(channel),
        });
    }
  }, 180_000);
});

import { ManualClock } from '../src/clock/clock';
import { readDeadLetters } from './dead-letters';
import { ProjectionHarness } from './projection-harness';
import { referenceModel } from './reference-model';
import { generateScenario } from './scenario';

describe('projection of a seeded 20,000-event stream', () => {
  const harness = new ProjectionHarness('projection');
  const scenario = generateScenario(20_240_601, { pledges: 2400 });

  afterAll(async () => {
    await harness.cleanup();
  });

  it('equals an independent plain fold field by field, before and after the clock ticks', async () => {
    expect(scenario.events.length).toBeGreaterThanOrEqual(20_000);
    expect(scenario.stream.length).toBeGreaterThan(scenario.events.length);
    await harness.createTopics(3);
    await harness.publish(scenario.stream);
    const poison = [
      {
        key: 'bad-1',
        value: 'not json at all',
        headers: { 'content-type': 'application/cloudevents+json' },
      },
      {
        key: 'bad-2',
        value: JSON.stringify({ specversion: '1.0', id: 'x', type: 'tracker.shipment.lost.v1' }),
      },
    ];
    await harness.publishRaw(harness.topics.shipments, poison);
    const clock = new ManualClock(Date.parse('2025-03-01T00:00:30Z'));
    const projection = harness.projection({ clock });

    await projection.start();
    await harness.caughtUp();
    await expect(harness.differences(referenceModel(scenario.events))).resolves.toEqual([]);

    await expect(projection.tick()).resolves.toBe('applied');
    await expect(projection.tick()).resolves.toBe('current');
    const ticked = referenceModel(scenario.events, '2025-03-01T00:00:00.000Z');
    expect([...ticked.pledges.values()].some((pledge) => pledge.status === 'overdue')).toBe(true);
    await expect(harness.differences(ticked)).resolves.toEqual([]);

    const letters = await readDeadLetters(harness.kafka, harness.topics.deadLetter, poison.length);
    expect(letters.map((letter) => letter.value).sort()).toEqual(poison.map((p) => p.value).sort());
    expect(letters.every((letter) => letter.reason.startsWith('contract violation'))).toBe(true);
    expect(letters.every((letter) => letter.sourceTopic === harness.topics.shipments)).toBe(true);
  }, 240_000);
});

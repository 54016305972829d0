import { DeadLetterPublisher, EventProducer } from '@tracker/kafka';
import { decodeCursor } from '@tracker/read-model';
import { asOfMinute, ManualClock } from '../src/clock/clock';
import { Rebuilder } from '../src/rebuild/rebuilder';
import { dumpEpoch } from './key-dump';
import { ProjectionHarness, silent } from './projection-harness';
import { referenceModel } from './reference-model';
import { generateScenario } from './scenario';

describe('rebuilding the read model from Kafka', () => {
  const harness = new ProjectionHarness('rebuild');
  const scenario = generateScenario(77, { pledges: 700 });
  const clock = new ManualClock(Date.parse('2025-02-01T12:00:10Z'));

  beforeAll(async () => {
    await harness.createTopics(3);
  });

  afterAll(async () => {
    await harness.cleanup();
  });

  it('gives a new epoch equal to the live one key by key, and the live projection follows it', async () => {
    const half = Math.floor(scenario.stream.length * 0.8);
    await harness.publish(scenario.stream.slice(0, half));
    const live = harness.projection({ clock });
    await live.start();
    await harness.caughtUp();
    await expect(live.tick()).resolves.toBe('applied');
    const reader = harness.reader();
    const before = await reader.snapshot(['overview']);
    const old = live.epoch;

    const producer = new EventProducer(harness.kafka);
    const result = await new Rebuilder(
      {
        kafka: harness.kafka,
        redis: harness.client,
        deadLetters: new DeadLetterPublisher(producer),
        logger: silent,
        clock,
      },
      {
        groupId: harness.groupId,
        topics: harness.topics,
        namespace: harness.namespace,
        keepPrevious: true,
      },
    ).run();
    await producer.onApplicationShutdown();

    expect(result.previous).toBe(old);
    expect(result.epoch).not.toBe(old);
    const base = harness.writer().keys.base;
    const [rebuilt, original] = await Promise.all([
      dumpEpoch(harness.client, base, result.epoch),
      dumpEpoch(harness.client, base, old),
    ]);
    expect(rebuilt.size).toBeGreaterThan(1000);
    expect([...rebuilt.keys()].sort()).toEqual([...original.keys()].sort());
    const different = [...original].filter(
      ([key, value]) => JSON.stringify(rebuilt.get(key)) !== JSON.stringify(value),
    );
    expect(different.slice(0, 5)).toEqual([]);

    const after = await reader.snapshot(['overview']);
    expect(decodeCursor(after.cursor)?.epoch).toBe(result.epoch);
    expect(after.values.overview).toEqual(before.values.overview);
    await expect(reader.resume(['overview'], before.cursor, 100)).resolves.toMatchObject({
      kind: 'reset',
      reason: 'epoch',
    });

    await harness.publish(scenario.stream.slice(half));
    await harness.caughtUp();
    expect(live.epoch).toBe(result.epoch);
    const asOf = asOfMinute(clock.now());
    await expect(harness.differences(referenceModel(scenario.events, asOf))).resolves.toEqual([]);
    await harness.writer().dropEpoch(old);
    await live.stop();
  }, 180_000);

  it('rebuilds by itself when Redis lost everything, in a new epoch', async () => {
    const live = harness.projection({ clock, settings: { groupId: `${harness.groupId}-again` } });
    await live.start();
    await harness.caughtUp();
    const before = live.epoch;
    await harness.writer().dropEpoch(before);
    await harness.client.del(harness.writer().keys.epochKey);

    await harness.caughtUp();
    expect(live.epoch).not.toBe(before);
    await expect(harness.differences(referenceModel(scenario.events))).resolves.toEqual([]);
  }, 180_000);
});

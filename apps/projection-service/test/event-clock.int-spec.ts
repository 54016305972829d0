import { aCapacityDeclaration, aLot, aPledge } from '@tracker/testing';
import { EventTimeClock } from '../src/clock/clock';
import { ProjectionHarness } from './projection-harness';

// PROJECTION_CLOCK=events, as `npm start` runs the projection under the demo: a replayed story
// is judged at its own pace, so a pledge turns late when the story passes its target date.

describe('a projection on the events clock', () => {
  const harness = new ProjectionHarness('event-clock');

  afterAll(async () => {
    await harness.cleanup();
  });

  it('moves only with events that say when they happened, and judges pledges at that time', async () => {
    await harness.createTopics(1);
    const projection = harness.projection({ clock: new EventTimeClock() });
    await projection.start();
    const status = async (pledgeId: string) => {
      const value = (await harness.reader().value(`pledge:${pledgeId}`)) as { status?: string };
      return value?.status;
    };
    await expect(projection.tick()).resolves.toBe('current');

    const pledge = aPledge()
      .announcedAt('2024-01-10T09:00:00Z')
      .withTargetDate('2024-03-20')
      .buildEvent();
    await harness.publish([pledge]);
    await harness.caughtUp();
    await expect(projection.tick()).resolves.toBe('applied');
    expect(await status(pledge.data.pledgeId)).toBe('announced');

    // Sent today, but it does not say when anything happened: the clock stays in January 2024.
    await harness.publish([aCapacityDeclaration().buildEvent({ time: '2026-12-01T08:00:00Z' })]);
    await harness.caughtUp();
    await expect(projection.tick()).resolves.toBe('current');
    expect(await status(pledge.data.pledgeId)).toBe('announced');

    await harness.publish([aLot().completedAt('2024-04-02T16:00:00Z').buildEvent()]);
    await harness.caughtUp();
    await expect(projection.tick()).resolves.toBe('applied');
    expect(await status(pledge.data.pledgeId)).toBe('overdue');
  }, 60_000);
});

import { aCapacityDeclaration, aLot, aPledge } from '@tracker/testing';
import { EventTimeClock } from './clock';

describe(EventTimeClock.name, () => {
  it('has no time until an event says when something happened', () => {
    const clock = new EventTimeClock();
    expect(clock.now()).toBeNaN();
    clock.observe([aCapacityDeclaration().buildEvent({ time: '2026-12-01T08:00:00Z' })]);
    expect(clock.now()).toBeNaN();
  });

  it('reads the latest occurrence and never goes back', () => {
    const clock = new EventTimeClock();
    clock.observe([
      aPledge().announcedAt('2024-01-10T09:00:00Z').buildEvent(),
      aLot().completedAt('2024-04-02T16:00:00Z').buildEvent(),
    ]);
    expect(clock.now()).toBe(Date.parse('2024-04-02T16:00:00Z'));
    clock.observe([aPledge().announcedAt('2023-05-01T09:00:00Z').buildEvent()]);
    expect(clock.now()).toBe(Date.parse('2024-04-02T16:00:00Z'));
  });
});

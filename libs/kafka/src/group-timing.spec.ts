import { groupTiming } from './group-timing';

describe(groupTiming.name, () => {
  it('heartbeats three times a session and never waits longer than a heartbeat on a fetch', () => {
    expect(groupTiming(6000)).toEqual({
      sessionTimeout: 6000,
      heartbeatInterval: 2000,
      rebalanceTimeout: 12_000,
      maxWaitTimeInMs: 2000,
    });
  });

  it("keeps kafkajs's 5 s fetch wait for long sessions", () => {
    expect(groupTiming(30_000)).toMatchObject({ heartbeatInterval: 10_000, maxWaitTimeInMs: 5000 });
  });

  it('uses the default of KAFKA_SESSION_TIMEOUT_MS when given none', () => {
    expect(groupTiming().sessionTimeout).toBe(6000);
  });
});

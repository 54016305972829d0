import { z } from 'zod';
import {
  checkNotFromTheFuture,
  configureMaxClockSkew,
  DEFAULT_MAX_CLOCK_SKEW_MS,
  describeDuration,
  eventTimeViolations,
  maxClockSkewMs,
  notAheadOfClock,
  occurredAtFields,
  payloadTimeViolations,
} from './clock-skew';
import { parse } from './codec';
import { EVENT_TYPE_DEFINITIONS } from './events';
import { okFixtures } from './fixtures/fixtures';
import { ShipmentMilestoneV1 } from './shipment.v1';
import { TOPICS, topicOf } from './topics';
import type { EventType } from './events';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const FIVE_MINUTES = 300_000;
const options = { now: NOW, maxClockSkewMs: FIVE_MINUTES };
const RULE = 'must not be more than 5 minutes in the future';
const iso = (ms: number) => new Date(ms).toISOString();

const milestone = (at: string, time = at) => ({
  type: 'tracker.shipment.milestone.v1',
  time,
  data: { shipmentId: 'S-1', status: 'at-hub', at, eta: '9999-12-31T00:00:00Z' },
});

describe('nothing from the future', () => {
  it('accepts an event up to the allowed skew ahead, and refuses one a millisecond later', () => {
    expect(eventTimeViolations(milestone(iso(NOW + FIVE_MINUTES)), options)).toEqual([]);
    expect(eventTimeViolations(milestone(iso(NOW + FIVE_MINUTES + 1)), options)).toEqual([
      { path: 'time', rule: RULE },
      { path: 'data.at', rule: RULE },
    ]);
  });

  it('refuses year-9999 events, in any offset, naming time and the field that says when', () => {
    const event = milestone('9999-12-31T23:59:59+14:00', '2026-06-01T11:00:00Z');
    expect(eventTimeViolations(event, options)).toEqual([{ path: 'data.at', rule: RULE }]);
    expect(checkNotFromTheFuture(event, { ...options, topic: TOPICS.inboundShipments })).toEqual(
      expect.objectContaining({
        message: `contract violation on ${TOPICS.inboundShipments} (tracker.shipment.milestone.v1): data.at ${RULE}`,
      }),
    );
  });

  it('never checks forward-looking fields: eta, targetDate, effectiveFrom', () => {
    expect(eventTimeViolations(milestone(iso(NOW)), options)).toEqual([]);
    const pledge = {
      type: 'tracker.pledge.announced.v1',
      time: iso(NOW),
      data: { announcedAt: iso(NOW), targetDate: '9999-12-31' },
    };
    expect(eventTimeViolations(pledge, options)).toEqual([]);
    const capacity = {
      type: 'tracker.production.capacity-declared.v1',
      time: iso(NOW),
      data: { effectiveFrom: '9999-12-31' },
    };
    expect(eventTimeViolations(capacity, options)).toEqual([]);
  });

  it('checks the field that records when it happened, for every type that has one', () => {
    const checked: Record<string, string> = {};
    for (const definition of EVENT_TYPE_DEFINITIONS) {
      const fields = occurredAtFields(definition);
      if (fields.length > 0) checked[definition.type] = fields.join(',');
    }
    expect(checked).toEqual({
      'tracker.pledge.announced.v1': 'announcedAt',
      'tracker.production.lot-completed.v1': 'completedAt',
      'tracker.shipment.dispatched.v1': 'dispatchedAt',
      'tracker.shipment.milestone.v1': 'at',
      'tracker.shipment.delivered.v1': 'receivedAt',
      'tracker.shipment.delivery-corrected.v1': 'correctedAt',
      'tracker.stockpile.level-reported.v1': 'at',
      'tracker.alert.raised.v1': 'raisedAt',
      'tracker.alert.cleared.v1': 'clearedAt',
    });
    for (const [type, field] of Object.entries(checked)) {
      expect(payloadTimeViolations(type, { [field]: '9999-01-01T00:00:00Z' }, options)).toEqual([
        { path: field, rule: RULE },
      ]);
    }
  });

  it('says the skew in the unit it was given in', () => {
    expect(describeDuration(300_000)).toBe('5 minutes');
    expect(describeDuration(60_000)).toBe('1 minute');
    expect(describeDuration(90_000)).toBe('90 seconds');
    expect(describeDuration(7_200_000)).toBe('2 hours');
    expect(describeDuration(1500)).toBe('1500 milliseconds');
    expect(describeDuration(0)).toBe('0 milliseconds');
  });

  it('lets every golden fixture through: they all happened in the past', () => {
    for (const { event } of okFixtures()) {
      expect(eventTimeViolations(event, { maxClockSkewMs: 0 })).toEqual([]);
    }
  });

  it('is applied by parse only when given a clock', () => {
    const [fixture] = okFixtures().filter((f) => f.event.type === 'tracker.shipment.milestone.v1');
    const future = {
      ...fixture.event,
      time: '9999-12-31T00:00:00Z',
      data: { ...(fixture.event.data as object), at: '9999-12-31T00:00:00Z' },
    };
    const topic = topicOf(fixture.event.type as EventType);
    expect(parse(topic, JSON.stringify(future)).ok).toBe(true);
    const result = parse(topic, JSON.stringify(future), undefined, undefined, options);
    expect(result.ok ? [] : result.error.violations).toEqual([
      { path: 'time', rule: RULE },
      { path: 'data.at', rule: RULE },
    ]);
  });

  describe('notAheadOfClock (HTTP bodies)', () => {
    afterEach(() => configureMaxClockSkew(DEFAULT_MAX_CLOCK_SKEW_MS));

    const Body = notAheadOfClock(
      ShipmentMilestoneV1.omit({ shipmentId: true }).extend({
        at: ShipmentMilestoneV1.shape.at.optional(),
      }),
      'tracker.shipment.milestone.v1',
    );
    const messages = (body: unknown) =>
      (Body.safeParse(body).error?.issues ?? []).map((issue) => [
        issue.path.join('.'),
        issue.message,
      ]);

    it('names the field and the rule, with the configured skew', () => {
      expect(messages({ status: 'at-hub', at: '9999-12-31T00:00:00Z' })).toEqual([['at', RULE]]);
      expect(messages({ status: 'at-hub' })).toEqual([]);
      expect(messages({ status: 'at-hub', at: iso(Date.now()) })).toEqual([]);
      configureMaxClockSkew(60_000);
      expect(maxClockSkewMs()).toBe(60_000);
      expect(messages({ status: 'at-hub', at: iso(Date.now() + 120_000) })).toEqual([
        ['at', 'must not be more than 1 minute in the future'],
      ]);
    });

    it('stays a zod schema the body pipe and OpenAPI read as before', () => {
      expect(() => z.toJSONSchema(Body, { io: 'input', unrepresentable: 'any' })).not.toThrow();
    });
  });
});

import { z } from 'zod';
import { attribute, oneOf, payload, rule, text, TEXT_LIMITS, Timestamp, Uuid } from './common';
import { defineEventType } from './envelope';

/**
 * What the projection watches for (DESIGN §6): a pledge past its target date, a shipment with no
 * milestone well past its eta, demand that declared capacity cannot meet in time, and facts that
 * contradict each other (delivered more than shipped, a shipment for an unknown pledge).
 */
export const ALERT_KINDS = [
  'pledge-overdue',
  'shipment-stalled',
  'capacity-shortfall',
  'inconsistency',
] as const;
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
/** Kinds of entity an alert can be about; `entityId` is that entity's id in its own events. */
export const ALERT_ENTITY_TYPES = [
  'pledge',
  'shipment',
  'lot',
  'item',
  'donor',
  'stockpile',
] as const;
/** Most entries an alert's `details` may carry. */
export const MAX_ALERT_DETAILS = 20;

const detailsRule = rule(
  `must be an object of at most ${MAX_ALERT_DETAILS} camelCase keys with string, number or boolean values`,
);
const detailValueRule = rule('must be a string of at most 200 characters, a number or a boolean');

/** Flat machine-readable facts behind an alert, e.g. `{ daysLate: 30, outstanding: 52000 }`. */
export const AlertDetails = z
  .record(
    z
      .string(detailsRule)
      .max(40, detailsRule)
      .regex(/^[a-z][a-zA-Z0-9]*$/, detailsRule),
    z.union(
      [z.string(detailValueRule).max(200, detailValueRule), z.number(), z.boolean()],
      detailValueRule,
    ),
    detailsRule,
  )
  .refine((details) => Object.keys(details).length <= MAX_ALERT_DETAILS, detailsRule)
  .meta({ maxProperties: MAX_ALERT_DETAILS });

/** The projection saw something an operations centre must act on. */
export const AlertRaisedV1 = payload({
  alertId: Uuid,
  kind: oneOf(ALERT_KINDS),
  severity: oneOf(ALERT_SEVERITIES),
  entityType: oneOf(ALERT_ENTITY_TYPES).describe('What the alert is about.'),
  entityId: attribute(128).describe(
    'Id of that entity: a pledge or shipment id, a lot number, an item code, a country code, or <nation>:<itemCode> for a stockpile.',
  ),
  message: text(TEXT_LIMITS.message).describe('One sentence for the operator.'),
  raisedAt: Timestamp,
  details: AlertDetails.optional(),
});
export type AlertRaisedV1 = z.infer<typeof AlertRaisedV1>;

/** The condition behind an alert no longer holds. */
export const AlertClearedV1 = payload({
  alertId: Uuid,
  clearedAt: Timestamp,
  reason: text(TEXT_LIMITS.reason).describe('Why it cleared, e.g. "pledge delivered in full".'),
});
export type AlertClearedV1 = z.infer<typeof AlertClearedV1>;

export const alertRaisedV1 = defineEventType('tracker.alert.raised.v1', AlertRaisedV1, {
  subject: ['alertId'],
  key: ['alertId'],
  occurredAt: 'raisedAt',
  description: 'An alert was raised.',
});
export const alertClearedV1 = defineEventType('tracker.alert.cleared.v1', AlertClearedV1, {
  subject: ['alertId'],
  key: ['alertId'],
  occurredAt: 'clearedAt',
  description: 'An alert was cleared.',
});

export type AlertRaisedV1Event = z.infer<typeof alertRaisedV1.event>;
export type AlertClearedV1Event = z.infer<typeof alertClearedV1.event>;

/** Event types of tracker.alerts.v1. */
export const alertEventTypesV1 = [alertRaisedV1, alertClearedV1] as const;

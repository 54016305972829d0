import { buildEvent, TrackerEvent } from '@tracker/contracts';
import type { AlertValue } from '@tracker/read-model';
import { v5 as uuidv5 } from 'uuid';
import type { AlertDraft } from './alert-rules';
import { conditionKey } from './alert-rules';

/** Namespace of the projection's name-based (v5) alert and alert-event ids. */
const ALERT_NAMESPACE = '6f1d2a4e-3c1b-5b8e-9a57-2f0e8d9c4b11';
const SOURCE = '/projection-service';

/**
 * The alert for a condition raised at `asOf`. Its id is derived from the condition and the
 * moment, so a rebuild raising the same alert at the same tick gives it the same id, and so
 * does every re-send of its events (consumers dedupe by event id).
 */
export function raiseAlert(draft: AlertDraft, asOf: string): AlertValue {
  const alertId = uuidv5(`${conditionKey(draft)}|${asOf}`, ALERT_NAMESPACE);
  return { alertId, ...draft, raisedAt: asOf };
}

export function raisedEvent(alert: AlertValue): TrackerEvent {
  return buildEvent(
    'tracker.alert.raised.v1',
    {
      alertId: alert.alertId,
      kind: alert.kind,
      severity: alert.severity,
      entityType: alert.entityType,
      entityId: alert.entityId,
      message: alert.message,
      raisedAt: alert.raisedAt,
      details: { ...alert.details },
    },
    {
      source: SOURCE,
      id: uuidv5(`${alert.alertId}|raised`, ALERT_NAMESPACE),
      time: alert.raisedAt,
    },
  );
}

export function clearedEvent(alert: AlertValue, reason: string, asOf: string): TrackerEvent {
  return buildEvent(
    'tracker.alert.cleared.v1',
    { alertId: alert.alertId, clearedAt: asOf, reason },
    { source: SOURCE, id: uuidv5(`${alert.alertId}|cleared`, ALERT_NAMESPACE), time: asOf },
  );
}

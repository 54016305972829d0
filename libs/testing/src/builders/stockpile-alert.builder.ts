import { AlertRaisedV1, CountryCode } from '@tracker/contracts';
import { newId } from './ids';
import { PayloadBuilder } from './payload.builder';

/** A `tracker.stockpile.level-reported.v1` payload. */
export class StockpileLevelBuilder extends PayloadBuilder<'tracker.stockpile.level-reported.v1'> {
  ofNation(nation: CountryCode): this {
    return this.with('nation', nation);
  }
  withItem(itemCode: string): this {
    return this.with('itemCode', itemCode);
  }
  withQuantity(quantity: number): this {
    return this.with('quantity', quantity);
  }
  withMinimumRequired(minimumRequired: number): this {
    return this.with('minimumRequired', minimumRequired);
  }
  at(at: string): this {
    return this.with('at', at);
  }
}

/** Germany's 155 mm stock, well below its minimum. */
export function aStockpileLevel(): StockpileLevelBuilder {
  return new StockpileLevelBuilder(
    'tracker.stockpile.level-reported.v1',
    {
      nation: 'DE',
      itemCode: 'AMMO-155MM',
      quantity: 20_000,
      minimumRequired: 80_000,
      at: '2024-02-15T10:00:00+01:00',
    },
    '/production-service',
  );
}

/** A `tracker.alert.raised.v1` payload. */
export class AlertBuilder extends PayloadBuilder<'tracker.alert.raised.v1'> {
  withAlertId(alertId: string): this {
    return this.with('alertId', alertId);
  }
  ofKind(kind: AlertRaisedV1['kind'], severity: AlertRaisedV1['severity'] = 'warning'): this {
    return this.withFields({ kind, severity });
  }
  about(entityType: AlertRaisedV1['entityType'], entityId: string): this {
    return this.withFields({ entityType, entityId });
  }
  withMessage(message: string): this {
    return this.with('message', message);
  }
  raisedAt(raisedAt: string): this {
    return this.with('raisedAt', raisedAt);
  }
  withDetails(details: NonNullable<AlertRaisedV1['details']>): this {
    return this.with('details', details);
  }
}

/** A pledge one day past its target date with about half accepted. */
export function anAlert(): AlertBuilder {
  return new AlertBuilder(
    'tracker.alert.raised.v1',
    {
      alertId: newId(),
      kind: 'pledge-overdue',
      severity: 'warning',
      entityType: 'pledge',
      entityId: newId(),
      message: 'Pledge of 100,000 AMMO-155MM by DE is past its target date with 48% accepted',
      raisedAt: '2024-04-01T00:05:00Z',
      details: { daysLate: 1, outstanding: 52_000 },
    },
    '/projection-service',
  );
}

/** A `tracker.alert.cleared.v1` payload. */
export class AlertClearanceBuilder extends PayloadBuilder<'tracker.alert.cleared.v1'> {
  forAlert(alert: Pick<AlertRaisedV1, 'alertId'> | string): this {
    return this.with('alertId', typeof alert === 'string' ? alert : alert.alertId);
  }
  clearedAt(clearedAt: string): this {
    return this.with('clearedAt', clearedAt);
  }
  withReason(reason: string): this {
    return this.with('reason', reason);
  }
}

export function anAlertClearance(): AlertClearanceBuilder {
  return new AlertClearanceBuilder(
    'tracker.alert.cleared.v1',
    { alertId: newId(), clearedAt: '2024-11-20T10:00:00Z', reason: 'Pledge delivered in full' },
    '/projection-service',
  );
}

import { Inject, Injectable } from '@nestjs/common';
import { KafkaHeaders, parse, TrackerEvent } from '@tracker/contracts';
import { STATUS_LOG, StatusLog } from './status-log';

/** A consumed message as the controller hands it over: the raw bytes, not yet trusted. */
export interface IncomingMessage {
  /** The contract topic name, without any prefix: `tracker.pledges.v1`. */
  readonly topic: string;
  readonly value: Buffer | string | null;
  readonly key?: Buffer | string | null;
  readonly headers?: KafkaHeaders;
  /** Where it came from, for the refusal line: `tracker.pledges.v1[0]@12`. */
  readonly position: string;
}

interface PledgeFacts {
  readonly label: string;
}

const count = (quantity: number) => quantity.toLocaleString('en-GB');

/**
 * Turns the tracker's events into one readable line per pledge status change. It checks each
 * message against the published contracts first: an event that breaks them is logged as refused,
 * with every broken rule, and skipped. It remembers what it needs to phrase later lines (a
 * pledge's parties and item, a shipment's pledge) in memory; a consumer group that joins late
 * reads from the beginning, so the memory fills from history.
 */
@Injectable()
export class PledgeStatusService {
  private readonly pledges = new Map<string, PledgeFacts>();
  private readonly shipmentPledges = new Map<string, string>();

  constructor(@Inject(STATUS_LOG) private readonly log: StatusLog) {}

  /** Validates one message and logs the change it records, or why it was refused. */
  receive(message: IncomingMessage): void {
    const parsed = parse(message.topic, message.value, message.headers, message.key);
    if (!parsed.ok) {
      this.log.refused(`refused ${message.position}: ${parsed.error.message}`);
      return;
    }
    const line = this.describe(parsed.event);
    if (line !== undefined) this.log.change(line);
  }

  private describe(event: TrackerEvent): string | undefined {
    switch (event.type) {
      case 'tracker.pledge.announced.v1': {
        const { pledgeId, donor, recipient, itemCode, quantity } = event.data;
        this.pledges.set(pledgeId, {
          label: `pledge ${pledgeId} (${donor} → ${recipient}, ${itemCode})`,
        });
        return `${this.pledge(pledgeId)}: announced ${count(quantity)}`;
      }
      case 'tracker.pledge.amended.v1': {
        const { pledgeId, quantity, targetDate, reason } = event.data;
        const changes = [
          quantity === undefined ? undefined : `quantity ${count(quantity)}`,
          targetDate === undefined ? undefined : `target date ${targetDate}`,
        ].filter((change) => change !== undefined);
        return `${this.pledge(pledgeId)}: amended to ${changes.join(', ') || 'the same terms'}: ${reason}`;
      }
      case 'tracker.pledge.cancelled.v1':
        return `${this.pledge(event.data.pledgeId)}: cancelled: ${event.data.reason}`;
      case 'tracker.shipment.dispatched.v1': {
        const { shipmentId, pledgeId, quantity, origin, destination } = event.data;
        this.shipmentPledges.set(shipmentId, pledgeId);
        return `${this.pledge(pledgeId)}: shipment ${shipmentId} dispatched ${count(quantity)} from ${origin} to ${destination}`;
      }
      case 'tracker.shipment.milestone.v1':
        return `${this.shipment(event.data.shipmentId)}: ${event.data.status}${event.data.location ? ` at ${event.data.location}` : ''}`;
      case 'tracker.shipment.delivered.v1': {
        const { shipmentId, acceptedQuantity, rejectedQuantity, rejectionReason } = event.data;
        const pledgeId = this.shipmentPledges.get(shipmentId);
        const rejected = rejectedQuantity
          ? `, rejected ${count(rejectedQuantity)}${rejectionReason ? ` (${rejectionReason})` : ''}`
          : '';
        const of = pledgeId === undefined ? '' : ` of pledge ${pledgeId}`;
        return `shipment ${shipmentId}: accepted ${count(acceptedQuantity)}${of}${rejected}`;
      }
      case 'tracker.shipment.delivery-corrected.v1': {
        const { shipmentId, acceptedQuantity, reason } = event.data;
        const pledgeId = this.shipmentPledges.get(shipmentId);
        const of = pledgeId === undefined ? '' : ` of pledge ${pledgeId}`;
        return `shipment ${shipmentId}: receipt corrected to accepted ${count(acceptedQuantity)}${of}: ${reason}`;
      }
      case 'tracker.shipment.lost.v1':
        return `${this.shipment(event.data.shipmentId)}: lost ${count(event.data.quantity)}: ${event.data.reason}`;
      case 'tracker.alert.raised.v1': {
        const { kind, severity, entityType, entityId, message } = event.data;
        return `alert ${event.data.alertId} raised (${severity} ${kind} on ${entityType} ${entityId}): ${message}`;
      }
      case 'tracker.alert.cleared.v1':
        return `alert ${event.data.alertId} cleared: ${event.data.reason}`;
      // Programme declarations, production and stockpile reports change no pledge's status.
      case 'tracker.programme.declared.v1':
      case 'tracker.production.capacity-declared.v1':
      case 'tracker.production.lot-completed.v1':
      case 'tracker.production.lot-qa-changed.v1':
      case 'tracker.production.allocated.v1':
      case 'tracker.stockpile.level-reported.v1':
        return undefined;
    }
  }

  private pledge(pledgeId: string): string {
    return this.pledges.get(pledgeId)?.label ?? `pledge ${pledgeId}`;
  }

  private shipment(shipmentId: string): string {
    const pledgeId = this.shipmentPledges.get(shipmentId);
    return pledgeId === undefined
      ? `shipment ${shipmentId}`
      : `${this.pledge(pledgeId)}: shipment ${shipmentId}`;
  }
}

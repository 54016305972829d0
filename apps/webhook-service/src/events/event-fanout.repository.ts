import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Fact } from '@tracker/access';
import { PledgeParties, ShipmentParties, SubscriptionFilters } from './audience';

/** A live subscription an event may go to. */
export interface Candidate {
  readonly id: string;
  readonly owner: string;
  readonly filters: SubscriptionFilters;
}

/** One event to queue for one subscription: the CloudEvent exactly as published. */
export interface QueuedDelivery {
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly payload: string;
}

/**
 * The parties view and the queue, written together: {@link inTransaction} runs one consumed
 * batch in one Postgres transaction, so the view and the deliveries it decides commit together
 * (and the Kafka offsets only after).
 */
@Injectable()
export class EventFanoutRepository {
  constructor(private readonly dataSource: DataSource) {}

  inTransaction<T>(work: (tx: FanoutTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new FanoutTransaction(manager)));
  }
}

/** The statements of one fan-out transaction. */
export class FanoutTransaction {
  constructor(private readonly manager: EntityManager) {}

  async recordPledge(pledge: PledgeParties): Promise<void> {
    await this.manager.query(
      `insert into pledge_parties (pledge_id, donor, recipient, item_code) values ($1, $2, $3, $4)
       on conflict (pledge_id) do update
       set donor = excluded.donor, recipient = excluded.recipient, item_code = excluded.item_code`,
      [pledge.pledgeId, pledge.donor, pledge.recipient, pledge.itemCode],
    );
  }

  async recordShipment(shipment: ShipmentParties): Promise<void> {
    await this.manager.query(
      `insert into shipment_parties (shipment_id, pledge_id, item_code, sender)
       values ($1, $2, $3, $4)
       on conflict (shipment_id) do update
       set pledge_id = excluded.pledge_id, item_code = excluded.item_code, sender = excluded.sender`,
      [shipment.shipmentId, shipment.pledgeId, shipment.itemCode, shipment.sender],
    );
  }

  async recordAlert(alertId: string, fact: Fact): Promise<void> {
    await this.manager.query(
      `insert into alert_audiences (alert_id, fact) values ($1, $2)
       on conflict (alert_id) do update set fact = excluded.fact`,
      [alertId, JSON.stringify(fact)],
    );
  }

  /** Whom a raised alert was for, or undefined when the view never saw it raised. */
  async alertAudience(alertId: string): Promise<Fact | undefined> {
    const rows: { fact: Fact }[] = await this.manager.query(
      'select fact from alert_audiences where alert_id = $1',
      [alertId],
    );
    return rows[0]?.fact;
  }

  async pledge(pledgeId: string): Promise<PledgeParties | undefined> {
    const rows: { donor: string; recipient: string; item_code: string }[] =
      await this.manager.query(
        'select donor, recipient, item_code from pledge_parties where pledge_id = $1',
        [pledgeId],
      );
    const row = rows[0];
    return row && { pledgeId, donor: row.donor, recipient: row.recipient, itemCode: row.item_code };
  }

  async shipment(shipmentId: string): Promise<ShipmentParties | undefined> {
    const rows: { pledge_id: string; item_code: string; sender: string | null }[] =
      await this.manager.query(
        'select pledge_id, item_code, sender from shipment_parties where shipment_id = $1',
        [shipmentId],
      );
    const row = rows[0];
    return (
      row && { shipmentId, pledgeId: row.pledge_id, itemCode: row.item_code, sender: row.sender }
    );
  }

  /** Live subscriptions to `eventType` created no later than `recordedAt`. */
  async candidates(eventType: string, recordedAt: Date): Promise<Candidate[]> {
    const rows: { id: string; owner: string; filters: SubscriptionFilters }[] =
      await this.manager.query(
        `select id, owner, filters from subscriptions
         where deleted_at is null and $1 = any (event_types) and created_at <= $2
         order by id`,
        [eventType, recordedAt],
      );
    return rows;
  }

  /**
   * Queues a delivery as its subscription's next, once: an event already queued for the
   * subscription (a batch read again after a crash) is left as it is.
   */
  async queue(delivery: QueuedDelivery): Promise<void> {
    await this.manager.query(
      `with next as (
         update subscriptions set next_seq = next_seq + 1
         where id = $1 and not exists (
           select 1 from deliveries where subscription_id = $1 and event_id = $2)
         returning next_seq)
       insert into deliveries (subscription_id, seq, event_id, event_type, payload)
       select $1, next_seq, $2, $3, $4 from next
       on conflict do nothing`,
      [delivery.subscriptionId, delivery.eventId, delivery.eventType, delivery.payload],
    );
  }
}

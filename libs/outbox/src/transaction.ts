import { serialize, topicOf, TrackerEvent } from '@tracker/contracts';
import { EntityManager } from 'typeorm';

/** The columns of an outbox row an event fills, in {@link outboxValues}' order. */
export const OUTBOX_COLUMNS = '(event_id, topic, key, value, headers)';

/** The values of an event's outbox row, in {@link OUTBOX_COLUMNS} order. */
export function outboxValues(event: TrackerEvent): unknown[] {
  const message = serialize(event);
  return [event.id, topicOf(event.type), message.key, message.value, message.headers];
}

/**
 * One write transaction of a service. Repositories use `manager` (they are the only code that
 * sees TypeORM); services call `emit` for the events the change publishes and, for inbound
 * events, `firstDelivery` to apply each event once. Everything commits or nothing does.
 */
export class Transaction {
  private readonly events: TrackerEvent[] = [];

  constructor(readonly manager: EntityManager) {}

  /** Queues an event for the outbox; written when the transaction commits. */
  emit(event: TrackerEvent): void {
    this.events.push(event);
  }

  /** The events emitted so far, in order. */
  get emitted(): readonly TrackerEvent[] {
    return this.events;
  }

  /**
   * Records an inbound event id as applied; false when it was applied before (a re-delivery or a
   * re-sent event), in which case the caller changes nothing.
   */
  async firstDelivery(eventId: string): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      'insert into processed_events (event_id) values ($1) on conflict do nothing returning event_id',
      [eventId],
    );
    return rows.length === 1;
  }

  /**
   * Writes the emitted events to the outbox; with `notifyChannel`, Postgres also notifies that
   * channel when the transaction commits (in the same round trip). True when rows were written.
   */
  async flush(notifyChannel?: string): Promise<boolean> {
    if (this.events.length === 0) return false;
    const values: unknown[] = [];
    const tuples = this.events.map((event, index) => {
      values.push(...outboxValues(event));
      const at = index * 5;
      return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5})`;
    });
    const insert = `insert into outbox ${OUTBOX_COLUMNS} values ${tuples.join(', ')}`;
    if (notifyChannel === undefined) {
      await this.manager.query(insert, values);
      return true;
    }
    values.push(notifyChannel);
    await this.manager.query(
      `with written as (${insert} returning 1)
       select pg_notify($${values.length}, '') from (select 1) as once where exists (select 1 from written)`,
      values,
    );
    return true;
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscriptions, their deliveries (one row per subscription and event, in order), and the view
 * of parties (a pledge's donor and recipient, a shipment's pledge and sender, whom a raised
 * alert was for) that decides what each subscriber may see.
 */
export class Webhooks1733000000500 implements MigrationInterface {
  name = 'Webhooks1733000000500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table subscriptions (
        id uuid primary key,
        owner text not null,
        url text not null,
        event_types text[] not null,
        filters jsonb not null default '{}',
        secret text not null,
        created_at timestamptz not null default now(),
        deleted_at timestamptz,
        parked_at timestamptz,
        next_seq bigint not null default 0
      )`);
    await runner.query('create index subscriptions_by_owner on subscriptions (owner, created_at)');
    await runner.query(`
      create table deliveries (
        subscription_id uuid not null references subscriptions (id),
        seq bigint not null,
        event_id text not null,
        event_type text not null,
        payload text not null,
        status text not null default 'pending',
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        first_attempt_at timestamptz,
        lease_until timestamptz,
        last_status integer,
        last_error text,
        created_at timestamptz not null default now(),
        delivered_at timestamptz,
        primary key (subscription_id, seq),
        unique (subscription_id, event_id)
      )`);
    await runner.query(
      `create index deliveries_pending on deliveries (subscription_id, seq) where status = 'pending'`,
    );
    await runner.query(`
      create table pledge_parties (
        pledge_id text primary key,
        donor text not null,
        recipient text not null,
        item_code text not null
      )`);
    await runner.query(`
      create table shipment_parties (
        shipment_id text primary key,
        pledge_id text not null,
        item_code text not null,
        sender text
      )`);
    await runner.query(`
      create table alert_audiences (
        alert_id text primary key,
        fact jsonb not null
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table alert_audiences');
    await runner.query('drop table shipment_parties');
    await runner.query('drop table pledge_parties');
    await runner.query('drop table deliveries');
    await runner.query('drop table subscriptions');
  }
}

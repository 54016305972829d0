import { MigrationInterface, QueryRunner } from 'typeorm';

/** Shipments (the system of record) and the view of pledges that dispatches are checked against. */
export class Shipments1733000000300 implements MigrationInterface {
  name = 'Shipments1733000000300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table shipments (
        shipment_id text primary key,
        pledge_id text not null,
        producer text,
        donor text,
        item_code text not null,
        quantity integer not null,
        status text not null,
        lost integer not null default 0,
        dispatch jsonb not null,
        last_milestone jsonb,
        delivery jsonb,
        dispatched_at timestamptz not null,
        updated_at timestamptz not null default now()
      )`);
    await runner.query('create index shipments_by_pledge on shipments (pledge_id)');
    await runner.query('create index shipments_by_producer on shipments (producer)');
    await runner.query(`
      create table pledges_view (
        pledge_id text primary key,
        donor text,
        item_code text,
        quantity integer,
        status text not null,
        updated_at timestamptz not null default now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table pledges_view');
    await runner.query('drop table shipments');
  }
}

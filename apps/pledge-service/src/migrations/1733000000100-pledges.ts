import { MigrationInterface, QueryRunner } from 'typeorm';

/** Pledges (the system of record) and the view of shipments that tells what was accepted. */
export class Pledges1733000000100 implements MigrationInterface {
  name = 'Pledges1733000000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table pledges (
        pledge_id text primary key,
        donor text not null,
        recipient text not null,
        item_code text not null,
        quantity integer not null,
        target_date date,
        status text not null,
        announcement jsonb not null,
        announced_at timestamptz not null,
        updated_at timestamptz not null default now()
      )`);
    await runner.query('create index pledges_by_donor on pledges (donor, item_code)');
    await runner.query(`
      create table shipments_view (
        shipment_id text primary key,
        pledge_id text,
        accepted integer not null default 0
      )`);
    await runner.query('create index shipments_view_by_pledge on shipments_view (pledge_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table shipments_view');
    await runner.query('drop table pledges');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * production-service's own tables: capacity declarations, lots and their allocations, stockpile
 * levels per nation × item, and the view of pledges fed from tracker.pledges.v1.
 */
export class Production1733000000200 implements MigrationInterface {
  name = 'Production1733000000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table capacity_declarations (
        capacity_id text primary key,
        manufacturer text not null,
        item_code text not null,
        declaration jsonb not null,
        declared_at timestamptz not null default now()
      )`);
    await runner.query(`
      create table lots (
        lot_id text primary key,
        manufacturer text not null,
        facility text not null,
        item_code text not null,
        quantity bigint not null check (quantity > 0),
        completed_at timestamptz not null,
        qa_status text not null,
        report jsonb not null,
        updated_at timestamptz not null default now()
      )`);
    await runner.query('create index lots_by_manufacturer on lots (manufacturer, item_code)');
    await runner.query(`
      create table pledges_view (
        pledge_id text primary key,
        donor text not null,
        item_code text not null,
        quantity bigint not null,
        status text not null,
        updated_at timestamptz not null default now()
      )`);
    await runner.query(`
      create table allocations (
        allocation_id text primary key,
        lot_id text not null references lots (lot_id),
        pledge_id text not null,
        quantity bigint not null check (quantity > 0),
        allocated_at timestamptz not null default now()
      )`);
    await runner.query('create index allocations_by_lot on allocations (lot_id)');
    await runner.query('create index allocations_by_pledge on allocations (pledge_id)');
    await runner.query(`
      create table stockpiles (
        nation text not null,
        item_code text not null,
        quantity bigint not null,
        minimum_required bigint,
        reported_at timestamptz not null,
        updated_at timestamptz not null default now(),
        primary key (nation, item_code)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table stockpiles');
    await runner.query('drop table allocations');
    await runner.query('drop table pledges_view');
    await runner.query('drop table lots');
    await runner.query('drop table capacity_declarations');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the parties' rules need (DESIGN.md §4a): the pledge's recipient, who alone confirms
 * receipt, and which producer's lots are allocated to which pledge, which bounds what a producer
 * may dispatch against it.
 */
export class Parties1733000000310 implements MigrationInterface {
  name = 'Parties1733000000310';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table pledges_view add column recipient text');
    await runner.query(`
      create table lots_view (
        lot_id text primary key,
        producer text not null
      )`);
    await runner.query(`
      create table allocations_view (
        allocation_id text primary key,
        lot_id text not null,
        pledge_id text not null,
        producer text not null,
        quantity bigint not null
      )`);
    await runner.query(
      'create index allocations_view_by_pledge on allocations_view (pledge_id, producer)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table allocations_view');
    await runner.query('drop table lots_view');
    await runner.query('alter table pledges_view drop column recipient');
  }
}

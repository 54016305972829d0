import { MigrationInterface, QueryRunner } from 'typeorm';

/** Aid programmes (the system of record): the latest declaration of each. */
export class Programmes1733000000102 implements MigrationInterface {
  name = 'Programmes1733000000102';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table programmes (
        programme_id text primary key,
        name text not null,
        item_code text not null,
        target_quantity bigint not null,
        deadline date not null,
        declaration jsonb not null,
        declared_at timestamptz not null,
        updated_at timestamptz not null
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table programmes');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every milestone of a shipment as it was recorded, not only the latest one: a pledge's page
 * shows a shipment's way in order and each revision of its estimated arrival (issue 18). `seq`
 * orders them as recorded; `recorded_by` is the party whose write or feed reported it.
 */
export class Milestones1733000000330 implements MigrationInterface {
  name = 'Milestones1733000000330';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table shipment_milestones (
        seq bigserial primary key,
        shipment_id text not null,
        milestone jsonb not null,
        recorded_by text not null,
        recorded_at timestamptz not null
      )`);
    await runner.query(
      'create index shipment_milestones_by_shipment on shipment_milestones (shipment_id, seq)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table shipment_milestones');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quantities as `bigint`: a shipment's quantity and its losses, and the pledge quantity the view
 * checks dispatches against. The contracts bound one event's quantity (≤ 10^9); `bigint` holds
 * it and any sum of them, where `integer` (≤ 2^31 − 1) overflowed into a 500.
 */
export class BigintQuantities1733000000301 implements MigrationInterface {
  name = 'BigintQuantities1733000000301';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table shipments alter column quantity type bigint');
    await runner.query('alter table shipments alter column lost type bigint');
    await runner.query('alter table pledges_view alter column quantity type bigint');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table pledges_view alter column quantity type integer');
    await runner.query('alter table shipments alter column lost type integer');
    await runner.query('alter table shipments alter column quantity type integer');
  }
}

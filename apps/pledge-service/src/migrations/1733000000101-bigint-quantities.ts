import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quantities as `bigint`: a pledge's quantity and a shipment's accepted quantity are bounded by
 * the contracts (≤ 10^9), but `integer` (≤ 2^31 − 1) left no room for anything larger before
 * the bound existed (a pledge of 3,000,000,000 rounds was a 500). `sum(accepted)` is a `bigint`
 * sum (numeric), exact for any number of shipments.
 */
export class BigintQuantities1733000000101 implements MigrationInterface {
  name = 'BigintQuantities1733000000101';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table pledges alter column quantity type bigint');
    await runner.query('alter table shipments_view alter column accepted type bigint');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table shipments_view alter column accepted type integer');
    await runner.query('alter table pledges alter column quantity type integer');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who sees an allocation (README, "Who sees what"): the pledge's recipient as well as its donor,
 * so the view of pledges keeps the recipient from the announcement. Null for a pledge the view
 * recorded before this column: a party not known grants nothing.
 */
export class PledgesViewRecipient1733000000201 implements MigrationInterface {
  name = 'PledgesViewRecipient1733000000201';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table pledges_view add column recipient text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table pledges_view drop column recipient');
  }
}

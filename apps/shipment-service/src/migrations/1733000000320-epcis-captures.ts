import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * EPCIS 2.0 capture jobs: the document as received and who captured it, stored before the 202,
 * then processed by the capture worker (also after a restart) into `succeeded` or `failed`.
 */
export class EpcisCaptures1733000000320 implements MigrationInterface {
  name = 'EpcisCaptures1733000000320';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table epcis_captures (
        capture_id text primary key,
        captured_by jsonb not null,
        document jsonb not null,
        event_count integer not null,
        status text not null default 'pending',
        errors jsonb,
        results jsonb,
        failure text,
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        created_at timestamptz not null default now(),
        finished_at timestamptz
      )`);
    await runner.query(
      `create index epcis_captures_pending on epcis_captures (next_attempt_at) where status = 'pending'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table epcis_captures');
  }
}

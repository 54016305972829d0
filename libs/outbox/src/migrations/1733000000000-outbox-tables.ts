import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The write side's plumbing tables, in the service's own schema (the connection's search_path):
 * - `outbox`: events committed with the state change, waiting for the relay to publish them;
 * - `processed_events`: ids of inbound events already applied, for exactly-once consumption;
 * - `idempotency_keys`: the first answer to each `Idempotency-Key`, replayed on retries.
 */
export class OutboxTables1733000000000 implements MigrationInterface {
  name = 'OutboxTables1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table outbox (
        id bigserial primary key,
        event_id text not null,
        topic text not null,
        key text not null,
        value bytea not null,
        headers jsonb not null,
        created_at timestamptz not null default clock_timestamp()
      )`);
    await runner.query(`
      create table processed_events (
        event_id text primary key,
        processed_at timestamptz not null default now()
      )`);
    await runner.query(`
      create table idempotency_keys (
        scope text not null,
        key text not null,
        fingerprint text not null,
        status integer not null,
        body jsonb not null,
        created_at timestamptz not null default now(),
        primary key (scope, key)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table idempotency_keys');
    await runner.query('drop table processed_events');
    await runner.query('drop table outbox');
  }
}

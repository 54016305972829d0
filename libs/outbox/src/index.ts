import { OutboxTables1733000000000 } from './migrations/1733000000000-outbox-tables';

export * from './event.factory';
export * from './idempotency';
export * from './outbox-relay';
export * from './outbox.channel';
export * from './outbox.module';
export * from './relay-wakeup';
export * from './single-statement';
export * from './transaction';
export * from './unit-of-work';

/** Migrations every write service runs for the outbox, inbox and idempotency tables. */
export const outboxMigrations = [OutboxTables1733000000000];

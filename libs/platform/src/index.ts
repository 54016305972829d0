export * from './bootstrap';
export * from './database.module';
export * from './health/health.module';
export * from './health/postgres.readiness';
export * from './health/readiness-check';
export * from './logging.module';
export * from './metrics/metrics.module';
export * from './bigint.transformer';

import { Client } from 'pg';
import Redis from 'ioredis';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** Where the integration tests find Postgres: `DATABASE_URL`, else the machine's local server. */
export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
}

/** Where the integration tests find Redis: `REDIS_URL`, else the machine's local server. */
export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? DEFAULT_TEST_REDIS_URL;
}

/** Thrown when a service the integration tests need does not answer. */
export class MissingServiceError extends Error {
  constructor(service: string, url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`integration tests need ${service} at ${url}, but it does not answer: ${reason}`);
    this.name = 'MissingServiceError';
  }
}

async function checkPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new MissingServiceError('Postgres', url, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new MissingServiceError('Redis', url, error);
  } finally {
    // A connection that failed has already ended; disconnecting it again would only leave
    // ioredis's two-second disconnect timer holding the process.
    if (redis.status !== 'end') redis.disconnect();
  }
}

/** Verifies that Postgres and Redis answer; throws {@link MissingServiceError} naming the first that does not. */
export async function checkServices(): Promise<void> {
  await checkPostgres(testDatabaseUrl());
  await checkRedis(testRedisUrl());
}

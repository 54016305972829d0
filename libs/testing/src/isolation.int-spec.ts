import Redis from 'ioredis';
import { Client } from 'pg';
import { testDatabaseUrl, testRedisUrl } from './services';
import { TestDatabase } from './test-database';
import { TestRedis } from './test-redis';

async function schemaExists(schema: string): Promise<boolean> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    const result = await client.query(
      'select 1 from information_schema.schemata where schema_name = $1',
      [schema],
    );
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('test isolation helpers', () => {
  it('gives each suite its own Postgres schema and drops it afterwards', async () => {
    const first = await TestDatabase.create('isolation');
    const second = await TestDatabase.create('isolation');
    await first.query('create table pledge (id text primary key)');
    await first.query("insert into pledge values ('p-1')");
    await second.query('create table pledge (id text primary key)');

    await expect(first.query('select id from pledge')).resolves.toEqual([{ id: 'p-1' }]);
    await expect(second.query('select id from pledge')).resolves.toEqual([]);

    await first.drop();
    await second.drop();
    await expect(schemaExists(first.schema)).resolves.toBe(false);
    await expect(schemaExists(second.schema)).resolves.toBe(false);
  });

  it('gives each suite its own Redis key space and deletes it afterwards', async () => {
    const first = new TestRedis('isolation');
    const second = new TestRedis('isolation');
    await first.client().set('overview', 'first');
    await second.client().set('overview', 'second');

    await expect(first.client().get('overview')).resolves.toBe('first');
    await expect(second.client().get('overview')).resolves.toBe('second');

    await first.cleanup();
    await second.cleanup();
    const raw = new Redis(testRedisUrl());
    await expect(raw.exists(`${first.prefix}overview`, `${second.prefix}overview`)).resolves.toBe(
      0,
    );
    raw.disconnect();
  });
});

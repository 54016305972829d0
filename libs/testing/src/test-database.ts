import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testDatabaseUrl } from './services';

/**
 * A Postgres schema of its own for one suite, so suites run in parallel and reruns start clean.
 * `drop()` removes it with everything in it.
 */
export class TestDatabase {
  private constructor(
    readonly url: string,
    readonly schema: string,
    private readonly admin: Client,
  ) {}

  static async create(label = 'suite'): Promise<TestDatabase> {
    const url = testDatabaseUrl();
    const safeLabel = label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .slice(0, 30);
    const schema = `t_${safeLabel}_${randomBytes(5).toString('hex')}`;
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
    return new TestDatabase(url, schema, admin);
  }

  /** Runs SQL with this suite's schema first on the search path. */
  async query<Row extends Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
  ): Promise<Row[]> {
    await this.admin.query(`set search_path to "${this.schema}"`);
    const result = await this.admin.query<Row>(sql, params);
    return result.rows;
  }

  async drop(): Promise<void> {
    try {
      await this.admin.query(`drop schema if exists "${this.schema}" cascade`);
    } finally {
      await this.admin.end();
    }
  }
}

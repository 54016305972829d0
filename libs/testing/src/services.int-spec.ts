import { freePort } from '@tracker/runtime';
import { checkServices } from './services';

describe(checkServices.name, () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('passes when Postgres and Redis answer', async () => {
    await expect(checkServices()).resolves.toBeUndefined();
  });

  it('names Postgres when it does not answer', async () => {
    process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:${await freePort()}/test`;
    await expect(checkServices()).rejects.toThrow(
      /need Postgres at postgres:\/\/postgres@127\.0\.0\.1:\d+\/test/,
    );
  });

  it('names Redis when it does not answer', async () => {
    process.env.REDIS_URL = `redis://127.0.0.1:${await freePort()}`;
    await expect(checkServices()).rejects.toThrow(/need Redis at redis:\/\/127\.0\.0\.1:\d+/);
  });
});

import { createServer } from 'node:net';
import { checkServices } from './services';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe(checkServices.name, () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('passes when Postgres and Redis answer', async () => {
    await expect(checkServices()).resolves.toBeUndefined();
  });

  it('names Postgres when it does not answer', async () => {
    process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:${await closedPort()}/test`;
    await expect(checkServices()).rejects.toThrow(
      /need Postgres at postgres:\/\/postgres@127\.0\.0\.1:\d+\/test/,
    );
  });

  it('names Redis when it does not answer', async () => {
    process.env.REDIS_URL = `redis://127.0.0.1:${await closedPort()}`;
    await expect(checkServices()).rejects.toThrow(/need Redis at redis:\/\/127\.0\.0\.1:\d+/);
  });
});

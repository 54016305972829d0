// One gateway in a process of its own for `npm run bench:live`, reading the read model under the
// Redis key prefix it is given (the bench's own key space), on the port it is given.
import 'reflect-metadata';
import Redis from 'ioredis';
import { testRedisUrl } from '@tracker/testing';
import { startGateway } from '../test/gateway-harness';

async function main(): Promise<void> {
  const [prefix, port, env] = process.argv.slice(2);
  const url = testRedisUrl();
  const gateway = await startGateway(
    { client: () => new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 2 }) },
    JSON.parse(env) as Record<string, string>,
    Number(port),
  );
  process.stdout.write(`ready ${gateway.url}\n`);
  process.once('SIGTERM', () => {
    void gateway.close().then(() => process.exit(0));
  });
}

void main();

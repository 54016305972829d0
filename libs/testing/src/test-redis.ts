import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { testRedisUrl } from './services';

/**
 * A Redis key space of its own for one suite: every key lives under `prefix`. Clients from
 * `client()` add the prefix themselves; `cleanup()` deletes every key under it and closes them.
 */
export class TestRedis {
  readonly prefix: string;
  private readonly clients: Redis[] = [];

  constructor(label = 'suite') {
    this.prefix = `t:${label}:${randomBytes(5).toString('hex')}:`;
  }

  get url(): string {
    return testRedisUrl();
  }

  client(): Redis {
    const redis = new Redis(this.url, { keyPrefix: this.prefix, maxRetriesPerRequest: 2 });
    this.clients.push(redis);
    return redis;
  }

  async cleanup(): Promise<void> {
    const raw = new Redis(this.url);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await raw.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
        if (keys.length > 0) await raw.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      raw.disconnect();
      await Promise.all(this.clients.map((redis) => redis.quit().catch(() => undefined)));
    }
  }
}

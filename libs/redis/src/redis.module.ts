import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import Redis from 'ioredis';

/** Injection token of the process's one shared Redis client: `@Inject(REDIS) redis: Redis`. */
export const REDIS = Symbol('REDIS');

/**
 * Builds the shared client: reconnects for ever, fails commands fast while Redis is down.
 * `keyPrefix` (tests) is prepended to every key by ioredis.
 */
export function createRedisClient(url: string, name: string, keyPrefix = ''): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    keyPrefix,
    maxRetriesPerRequest: 2,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  // A Redis that is down shows in /health/ready and in failed commands; without a listener ioredis
  // would also print every reconnection failure as an unhandled error event.
  redis.on('error', () => undefined);
  return redis;
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Provides {@link REDIS}, one ioredis client per process built from `REDIS_URL`. */
@Global()
@Module({})
export class RedisModule {
  static forRoot(): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            createRedisClient(config.redisUrl, config.service, config.redisKeyPrefix),
        },
        RedisLifecycle,
      ],
      exports: [REDIS],
    };
  }
}

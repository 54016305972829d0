import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import Redis from 'ioredis';

/** Ready when Redis answers PING within two seconds. */
@Injectable()
export class RedisReadiness implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = new Redis(config.redisUrl, {
      lazyConnect: true,
      connectTimeout: 2000,
      maxRetriesPerRequest: 1,
    });
    // A Redis that is down is what the probe reports; without a listener ioredis would also
    // print every reconnection failure as an unhandled error event.
    this.redis.on('error', () => undefined);
  }

  async check() {
    const session = this.indicator.check('redis');
    try {
      await this.redis.ping();
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  onModuleDestroy() {
    this.redis.disconnect();
  }
}

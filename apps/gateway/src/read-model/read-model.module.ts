import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { REDIS } from '@tracker/redis';
import Redis from 'ioredis';
import { READ_MODEL, READ_MODEL_TAIL, ReadModelReader } from './read-model.port';

/** The Redis connection the change feed blocks on (XREAD BLOCK), apart from the shared one. */
const TAIL_REDIS = Symbol('TAIL_REDIS');

function createReader(_redis: Redis): ReadModelReader {
  throw new Error('@tracker/read-model has no reader yet: merge branch projection');
}

@Injectable()
class TailConnectionLifecycle implements OnApplicationShutdown {
  constructor(@Inject(TAIL_REDIS) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/**
 * The read model as the gateway sees it: {@link READ_MODEL} for snapshots, resumes and REST
 * reads over the shared Redis client, and {@link READ_MODEL_TAIL} on a connection of its own,
 * because a blocking tail read would hold up every command queued behind it on a shared one.
 */
@Global()
@Module({
  providers: [
    { provide: READ_MODEL, inject: [REDIS], useFactory: createReader },
    { provide: TAIL_REDIS, inject: [REDIS], useFactory: (redis: Redis) => redis.duplicate() },
    { provide: READ_MODEL_TAIL, inject: [TAIL_REDIS], useFactory: createReader },
    TailConnectionLifecycle,
  ],
  exports: [READ_MODEL, READ_MODEL_TAIL],
})
export class ReadModelModule {}

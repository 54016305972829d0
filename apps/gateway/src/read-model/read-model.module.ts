import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { createReadModelReader } from '@tracker/read-model';
import { REDIS } from '@tracker/redis';
import Redis from 'ioredis';

/** Injection token of the gateway's `ReadModelReader` (@tracker/read-model). */
export const READ_MODEL = Symbol('READ_MODEL');

/**
 * The read model as the gateway sees it: the namespace the projection writes
 * (`READ_MODEL_NAMESPACE`), over the shared Redis client. The reader runs its blocking tail
 * reads on a duplicate connection of its own, so they hold nothing up.
 */
@Global()
@Module({
  providers: [
    {
      provide: READ_MODEL,
      inject: [REDIS, APP_CONFIG],
      useFactory: (redis: Redis, config: AppConfig) =>
        createReadModelReader(redis, { namespace: config.readModel.namespace }),
    },
  ],
  exports: [READ_MODEL],
})
export class ReadModelModule {}

import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { json } from 'express';
import { AuthGuard } from './auth';
import { EdgeLimits } from './edge-limits';
import { RateLimitGuard } from './rate-limit.guard';
import { ProblemFilter } from './problem.filter';

/** Largest request body accepted; larger ones are answered 413. */
export const BODY_LIMIT = '1mb';

/**
 * The HTTP edge every service shares: JSON bodies up to 1 MiB, per-token rate limits (429 with
 * Retry-After), bearer-token authentication with a per-address budget of failures (429 past
 * it), and problem+json for every refusal. `Written` results are answered with their own status
 * by {@link WrittenExpressAdapter}, which the services are created with (libs/platform).
 *
 * The limits are our own sliding-window counters rather than @nestjs/throttler's: its in-memory
 * storage keeps every hit's expiry and filters that array on each request (O(hits per minute)).
 * {@link EdgeLimits} is global so the gateway's `/live` handshake shares the failure budget.
 */
@Module({})
export class HttpEdgeModule implements NestModule {
  static forRoot(): DynamicModule {
    return {
      module: HttpEdgeModule,
      global: true,
      providers: [
        EdgeLimits,
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [EdgeLimits],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }))
      .forRoutes('*path');
  }
}

import { DynamicModule, Injectable, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { json } from 'express';
import { AuthGuard, bearerToken, digest, isOperationalPath } from './auth';
import { ProblemFilter } from './problem.filter';
import { WrittenInterceptor } from './written.interceptor';

/** Largest request body accepted; larger ones are answered 413. */
export const BODY_LIMIT = '1mb';

/** Rate limits count per token (a digest of it), else per client address. */
@Injectable()
class TokenThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const headers = request.headers as Record<string, string | undefined>;
    const token = bearerToken(headers.authorization);
    return token === undefined ? `ip:${String(request.ip)}` : `token:${digest(token)}`;
  }
}

/**
 * The HTTP edge every service shares: JSON bodies up to 1 MiB, per-token rate limits (429 with
 * Retry-After), bearer-token authentication, problem+json for every refusal, and `Written`
 * results answered with their own status.
 */
@Module({})
export class HttpEdgeModule implements NestModule {
  static forRoot(): DynamicModule {
    return {
      module: HttpEdgeModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            throttlers: [{ name: 'per-token', ttl: 60_000, limit: config.rateLimitPerMinute }],
            skipIf: (context) =>
              isOperationalPath(context.switchToHttp().getRequest<{ path: string }>().path),
          }),
        }),
      ],
      providers: [
        { provide: APP_GUARD, useClass: TokenThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: WrittenInterceptor },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }))
      .forRoutes('*path');
  }
}

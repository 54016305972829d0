import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { addressKey, RequestRejected, SlidingWindowLimiter } from '@tracker/http';
import type { Request } from 'express';
import { Clock, PUBLIC_CLOCK } from './public-clock';

const MINUTE_MS = 60_000;

/**
 * The public view's own budget: `PUBLIC_REQUESTS_PER_MINUTE` per client address (there is no
 * token to count by; IPv6 by its /64), 429 problem+json with `Retry-After` past it. A budget of
 * its own, checked after the edge's `RATE_LIMIT_PER_MINUTE` (which counts token-less requests by
 * address too): the open door gets a small one whatever the others get.
 */
@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  private readonly limiter: SlidingWindowLimiter;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(PUBLIC_CLOCK) clock: Clock) {
    this.limiter = new SlidingWindowLimiter(config.publicView.requestsPerMinute, MINUTE_MS, clock);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const verdict = this.limiter.take(addressKey(request.ip));
    if (verdict.allowed) return true;
    throw new RequestRejected(
      429,
      'rate-limited',
      `Over PUBLIC_REQUESTS_PER_MINUTE for this address; retry in ${verdict.retryAfterSeconds} s`,
      undefined,
      verdict.retryAfterSeconds,
    );
  }
}

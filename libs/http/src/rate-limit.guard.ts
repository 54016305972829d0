import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { bearerToken, digest, isOperationalPath } from './auth';
import { EdgeLimits } from './edge-limits';
import { RequestRejected } from './problem.filter';
import { addressKey } from './sliding-window';

/**
 * `RATE_LIMIT_PER_MINUTE` per token (its digest), or per client address for requests without
 * one; 429 problem+json with `Retry-After` past it. Probes and metrics are not counted. An
 * address over its failed-authentication budget is counted by address whatever token it sends,
 * so a guesser's stream of made-up tokens cannot fill the limiter with keys.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly limits: EdgeLimits) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (isOperationalPath(request.path)) return true;
    const token = bearerToken(request.headers.authorization);
    const byAddress = token === undefined || !this.limits.authenticationAllowed(request.ip).allowed;
    const tracker = byAddress ? `ip:${addressKey(request.ip)}` : `token:${digest(token)}`;
    const verdict = this.limits.takeRequest(tracker);
    if (verdict.allowed) return true;
    throw new RequestRejected(
      429,
      'rate-limited',
      `Over RATE_LIMIT_PER_MINUTE for this token; retry in ${verdict.retryAfterSeconds} s`,
      undefined,
      verdict.retryAfterSeconds,
    );
  }
}

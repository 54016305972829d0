import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { RequestRejected } from './problem.filter';
import { addressKey, LimitVerdict, SlidingWindowLimiter } from './sliding-window';

const MINUTE_MS = 60_000;

/**
 * The two limits of the edge, one {@link SlidingWindowLimiter} each: requests per token
 * (`RATE_LIMIT_PER_MINUTE`) and failed authentications per client address
 * (`AUTH_FAILURES_PER_MINUTE`). One instance per process, shared by the HTTP guards and the
 * gateway's `/live` handshake, so guesses on either door count together.
 */
@Injectable()
export class EdgeLimits {
  private readonly requests: SlidingWindowLimiter;
  private readonly failures: SlidingWindowLimiter;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.requests = new SlidingWindowLimiter(config.rateLimitPerMinute, MINUTE_MS);
    this.failures = new SlidingWindowLimiter(config.authFailuresPerMinute, MINUTE_MS);
  }

  /** Counts one request of `tracker` (a token digest, or an address without a token). */
  takeRequest(tracker: string): LimitVerdict {
    return this.requests.take(tracker);
  }

  /**
   * Whether `address` may try to authenticate: refused once it failed `AUTH_FAILURES_PER_MINUTE`
   * times within the sliding minute, whatever token it sends now, until its failures fade.
   */
  authenticationAllowed(address: string | undefined): LimitVerdict {
    return this.failures.check(addressKey(address));
  }

  /** One failed authentication (no token, or an unknown one) from `address`. */
  authenticationFailed(address: string | undefined): void {
    this.failures.record(addressKey(address));
  }
}

/** The 429 of an address that failed authentication too often. */
export function tooManyFailures(verdict: LimitVerdict): RequestRejected {
  return new RequestRejected(
    429,
    'too-many-failed-authentications',
    `Too many failed authentications from this address; retry in ${verdict.retryAfterSeconds} s`,
    [{ field: 'Authorization', rule: 'at most AUTH_FAILURES_PER_MINUTE failures per address' }],
    verdict.retryAfterSeconds,
  );
}

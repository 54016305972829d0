import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Role } from '@tracker/config';

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Maps a bearer token to its role from `AUTH_TOKENS`. Kept this small on purpose: it is the one
 * piece to swap for the shared guard of libs/http once that lands.
 */
@Injectable()
export class TokenAuth {
  private readonly grants: { digest: Buffer; role: Role }[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.grants = [...(config.authTokens ?? new Map<string, Role>())].map(([token, role]) => ({
      digest: digest(token),
      role,
    }));
  }

  /**
   * The role of `token`, or undefined. Compares fixed-length digests in constant time against
   * every grant, so neither the length of a guess nor how many characters match leaks.
   */
  roleOf(token: unknown): Role | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > 1024) return undefined;
    const candidate = digest(token);
    let found: Role | undefined;
    for (const grant of this.grants) {
      if (timingSafeEqual(grant.digest, candidate)) found = grant.role;
    }
    return found;
  }

  /** The role of an `Authorization: Bearer <token>` header value, or undefined. */
  roleOfHeader(header: string | undefined): Role | undefined {
    const match = /^Bearer +([^ ]+) *$/i.exec(header ?? '');
    return match ? this.roleOf(match[1]) : undefined;
  }
}

import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import { DataClass } from '@tracker/access';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig, Role } from '@tracker/config';
import { Forbidden } from '@tracker/errors';
import type { Request } from 'express';
import { RequestRejected } from './problem.filter';
import { EdgeLimits, tooManyFailures } from './edge-limits';

/** Who is calling: the role its token grants, and a digest standing for the token. */
export interface Caller {
  readonly role: Role;
  /** SHA-256 of the token, hex: scopes idempotency keys and rate limits; never the token. */
  readonly tokenDigest: string;
}

export type RoleKind = Role['kind'];

/**
 * Who may call a route, as every route declares it (README, "Who sees what"): the public (no
 * token), the listed roles (writes), or any token with an answer scoped by the access policy to
 * the data classes listed (reads). The declaration is also the route's `x-access` in the OpenAPI
 * document, and a route without one is refused: nothing ships open by omission.
 */
export type RouteAccess =
  | { readonly public: true }
  | { readonly roles: readonly RoleKind[] }
  | { readonly roles: 'any'; readonly sees: readonly DataClass[] };

const ACCESS = 'tracker:access';
/** The OpenAPI extension naming a route's {@link RouteAccess}. */
export const ACCESS_EXTENSION = 'x-access';

const declare = (access: RouteAccess) =>
  applyDecorators(SetMetadata(ACCESS, access), ApiExtension(ACCESS_EXTENSION, access));

/** Route open to the given roles only: a write, whose scope the owning service checks. */
export const Roles = (...kinds: RoleKind[]) => declare({ roles: kinds });
/**
 * Route open to any token, answering only what the caller may see of the data classes listed
 * (`maySee` of @tracker/access); something it may not see is 404, like something absent.
 */
export const Reads = (...sees: DataClass[]) => declare({ roles: 'any', sees });
/** Route open without a token (probes, metrics, documents, the dashboard, the public view). */
export const Public = () => declare({ public: true });

/** SHA-256 of the parts, hex: request fingerprints and token scopes. */
export function digest(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('hex');
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Resolves bearer tokens to roles, comparing digests in constant time; never logs a token. */
export class TokenTable {
  private readonly entries: { digest: Buffer; role: Role }[];

  constructor(tokens: ReadonlyMap<string, Role> | undefined) {
    this.entries = [...(tokens ?? new Map<string, Role>())].map(([token, role]) => ({
      digest: sha256(token),
      role,
    }));
  }

  /** The caller a token stands for, or undefined. Every entry is compared, match or not. */
  resolve(token: string): Caller | undefined {
    const digest = sha256(token);
    let found: Role | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest)) found = entry.role;
    }
    return found && { role: found, tokenDigest: digest.toString('hex') };
  }
}

/** The bearer token of a request, or undefined when the header is missing or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([^\s]+)$/i.exec(header ?? '');
  return match?.[1];
}

type AuthenticatedRequest = Request & { caller?: Caller };

/** Probes and metrics answer without a token: orchestrators and Prometheus scrape them. */
export function isOperationalPath(path: string): boolean {
  return path.startsWith('/health/') || path === '/metrics';
}

/**
 * Every route needs `Authorization: Bearer <token>` from `AUTH_TOKENS` unless marked
 * {@link Public}: 401 without a known token, 403 when the route is not open to the role, 403 for
 * a route that declares no {@link RouteAccess}. Scope rules (a donor's own pledges, a producer's
 * own lots) are the services' own, on the entity, through @tracker/access.
 * Each 401 counts against the client address; an address over `AUTH_FAILURES_PER_MINUTE` is
 * answered 429 with `Retry-After` before its token is looked at, a valid one included, so a
 * guesser cannot learn that a guess was right until its failures have faded.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly tokens: TokenTable;

  constructor(
    private readonly reflector: Reflector,
    private readonly limits: EdgeLimits,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tokens = new TokenTable(config.authTokens);
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS, targets);
    if (access !== undefined && 'public' in access) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (isOperationalPath(request.path)) return true;
    if (access === undefined) {
      throw new Forbidden(`${request.method} ${request.path} declares no access: it is closed`);
    }
    const admitted = this.limits.authenticationAllowed(request.ip);
    if (!admitted.allowed) throw tooManyFailures(admitted);
    const token = bearerToken(request.headers.authorization);
    const caller = token === undefined ? undefined : this.tokens.resolve(token);
    if (caller === undefined) {
      this.limits.authenticationFailed(request.ip);
      throw new RequestRejected(
        401,
        'unauthenticated',
        token === undefined
          ? 'An Authorization: Bearer <token> header is required'
          : 'The bearer token is not valid',
        [{ field: 'Authorization', rule: 'must be Bearer <token> with a token from AUTH_TOKENS' }],
      );
    }
    if (access.roles !== 'any' && !access.roles.includes(caller.role.kind)) {
      throw new Forbidden(
        `This route is open to ${access.roles.join(', ')}, not to ${caller.role.kind}`,
      );
    }
    request.caller = caller;
    return true;
  }
}

/** The authenticated caller of the request (set by {@link AuthGuard}). */
export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => {
    const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
    if (caller === undefined) throw new Error('CurrentCaller used on a public route');
    return caller;
  },
);

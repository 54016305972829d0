import { z } from 'zod';

/** A caller's role, as granted by `AUTH_TOKENS` (DESIGN.md §4). */
export type Role =
  | { kind: 'admin' }
  | { kind: 'ops' }
  | { kind: 'donor'; country: string }
  | { kind: 'producer'; org: string }
  | { kind: 'recipient'; country: string };

/** `producer:rheinmetall`, `recipient:UA`, `admin`: a role as `AUTH_TOKENS` writes it. */
export function describeRole(role: Role): string {
  switch (role.kind) {
    case 'admin':
    case 'ops':
      return role.kind;
    case 'donor':
    case 'recipient':
      return `${role.kind}:${role.country}`;
    case 'producer':
      return `producer:${role.org}`;
  }
}

/**
 * The first token `AUTH_TOKENS` lists for each role, by role string: one credential per party
 * where only one can be (a Kafka user's password, a party the demo acts as).
 */
export function firstTokenByRole(tokens: ReadonlyMap<string, Role>): Map<string, string> {
  const first = new Map<string, string>();
  for (const [token, role] of tokens) {
    const name = describeRole(role);
    if (!first.has(name)) first.set(name, token);
  }
  return first;
}

const ROLE_PATTERN = /^(admin|ops|(donor|recipient):[A-Z]{2}|producer:[a-z0-9][a-z0-9-]{0,62})$/;
const TOKEN_PATTERN = /^[A-Za-z0-9._~+/-]{1,256}$/;
/** Shortest token accepted: shorter ones are guessable with the failed-authentication budget. */
export const MIN_TOKEN_LENGTH = 16;

/** The role a role string of `AUTH_TOKENS` names (`donor:DE`); the inverse of {@link describeRole}. */
export function toRole(text: string): Role {
  const [kind, scope] = text.split(':');
  switch (kind) {
    case 'donor':
      return { kind: 'donor', country: scope };
    case 'producer':
      return { kind: 'producer', org: scope };
    case 'recipient':
      return { kind: 'recipient', country: scope };
    case 'admin':
      return { kind: 'admin' };
    default:
      return { kind: 'ops' };
  }
}

/**
 * `AUTH_TOKENS`: `<token>=<role>[,<token>=<role>…]`; roles `admin`, `ops`, `donor:<CC>`,
 * `producer:<org>`, `recipient:<CC>` (DESIGN.md §4a); tokens of 16-256 URL-safe characters.
 * Parsed into a token → role map; a malformed entry names its position, never its token.
 */
export const authTokensSchema = z.string().transform((text, ctx) => {
  const tokens = new Map<string, Role>();
  const entries = text.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const separator = entry.indexOf('=');
    const token = separator > 0 ? entry.slice(0, separator) : '';
    const role = separator > 0 ? entry.slice(separator + 1) : '';
    if (!TOKEN_PATTERN.test(token)) {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${index + 1} must be <token>=<role> with a token of 1-256 URL-safe characters`,
      });
    } else if (token.length < MIN_TOKEN_LENGTH) {
      // The token itself is never echoed: the message names its position only.
      ctx.addIssue({
        code: 'custom',
        message: `entry ${index + 1} has a token of ${token.length} characters; tokens need at least ${MIN_TOKEN_LENGTH}`,
      });
    } else if (!ROLE_PATTERN.test(role)) {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${index + 1} has role "${role}"; roles are admin, ops, donor:<CC> or recipient:<CC> (ISO 3166-1 alpha-2, upper case) or producer:<org> (lower-case slug)`,
      });
    } else if (tokens.has(token)) {
      ctx.addIssue({ code: 'custom', message: `entry ${index + 1} repeats a token` });
    } else {
      tokens.set(token, toRole(role));
    }
  });
  return tokens;
});

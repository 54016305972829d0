import { aclEntryOf, type AclBinding, type AclEntry } from './acl';
import {
  deriveScramCredential,
  DEFAULT_SCRAM_ITERATIONS,
  SCRAM_HASHES,
  type ScramCredential,
  type ScramHash,
} from './scram';
import { SASL_MECHANISMS, type CredentialStore, type SaslMechanism } from './sasl-exchange';

/** A user SASL clients may log in as; the principal is `User:<username>`. */
export interface SaslUser {
  readonly username: string;
  readonly password: string;
}

/** SASL on the broker's one listener (Kafka's SASL_PLAINTEXT: no TLS). */
export interface SaslOptions {
  /** Mechanisms offered in SaslHandshake. Default all three. */
  readonly mechanisms?: readonly SaslMechanism[];
  readonly users: readonly SaslUser[];
  /** PBKDF2 iterations of the SCRAM credentials derived at start (minimum 4096). Default 4096. */
  readonly scramIterations?: number;
}

/**
 * `BrokerOptions.security`: a plain serialisable object (the `--security` JSON file has the same
 * shape). Given at all, it switches ACL authorization on; `sasl` switches authentication on.
 */
export interface SecurityOptions {
  /** Without it every connection is `User:ANONYMOUS`. */
  readonly sasl?: SaslOptions;
  /** Principals (`User:<name>`) that every request is allowed to, whatever the ACLs say. */
  readonly superUsers?: readonly string[];
  /** Bindings always in force; DeleteAcls cannot remove them. */
  readonly acls?: readonly AclBinding[];
  /**
   * Kafka's allow.everyone.if.no.acl.found: a resource no binding names is open to everyone.
   * Default false, as in Kafka.
   */
  readonly allowEveryoneIfNoAclFound?: boolean;
}

export interface ResolvedSecurity {
  /** Null when SASL is off. */
  readonly sasl: {
    readonly mechanisms: readonly SaslMechanism[];
    readonly users: CredentialStore;
  } | null;
  readonly superUsers: readonly string[];
  readonly acls: readonly AclEntry[];
  readonly allowEveryoneIfNoAclFound: boolean;
}

/** A bad `security` option: the option path and the rule it breaks. */
export interface SecurityOptionProblem {
  readonly option: string;
  readonly rule: string;
}

/**
 * Checks the options and derives the SCRAM credentials (PBKDF2, once per user and hash).
 * @returns the resolved security, or the first problem found.
 */
export function resolveSecurity(
  options: SecurityOptions,
): ResolvedSecurity | SecurityOptionProblem {
  if (typeof options !== 'object' || options === null) {
    return { option: 'security', rule: 'must be an object' };
  }
  const superUsers = options.superUsers ?? [];
  if (
    !Array.isArray(superUsers) ||
    superUsers.some((p) => typeof p !== 'string' || !/^[^:]+:.+$/.test(p))
  ) {
    return { option: 'security.superUsers', rule: 'must be a list of principals like User:admin' };
  }
  const acls: AclEntry[] = [];
  for (const [index, binding] of (options.acls ?? []).entries()) {
    try {
      acls.push(aclEntryOf(binding));
    } catch (error) {
      return { option: `security.acls[${index}]`, rule: (error as Error).message };
    }
  }
  const allowEveryone = options.allowEveryoneIfNoAclFound ?? false;
  if (typeof allowEveryone !== 'boolean') {
    return { option: 'security.allowEveryoneIfNoAclFound', rule: 'must be a boolean' };
  }
  const sasl = options.sasl === undefined ? null : resolveSasl(options.sasl);
  if (sasl !== null && 'option' in sasl) return sasl;
  return { sasl, superUsers, acls, allowEveryoneIfNoAclFound: allowEveryone };
}

function resolveSasl(
  options: SaslOptions,
): NonNullable<ResolvedSecurity['sasl']> | SecurityOptionProblem {
  const mechanisms: readonly SaslMechanism[] = options.mechanisms ?? SASL_MECHANISMS;
  if (
    !Array.isArray(options.mechanisms ?? []) ||
    mechanisms.length === 0 ||
    mechanisms.some((m) => !SASL_MECHANISMS.includes(m))
  ) {
    return {
      option: 'security.sasl.mechanisms',
      rule: `must list some of ${SASL_MECHANISMS.join(', ')}`,
    };
  }
  const iterations = options.scramIterations ?? DEFAULT_SCRAM_ITERATIONS;
  if (
    !Number.isInteger(iterations) ||
    iterations < DEFAULT_SCRAM_ITERATIONS ||
    iterations > 1_000_000
  ) {
    return {
      option: 'security.sasl.scramIterations',
      rule: 'must be an integer from 4096 to 1000000',
    };
  }
  if (!Array.isArray(options.users)) return { option: 'security.sasl.users', rule: 'is required' };
  const users = new Map<string, Partial<Record<ScramHash, ScramCredential>>>();
  for (const [index, user] of options.users.entries()) {
    const { username, password } = (user ?? {}) as Partial<SaslUser>;
    if (typeof username !== 'string' || username === '' || users.has(username)) {
      return {
        option: `security.sasl.users[${index}].username`,
        rule: 'must be a unique non-empty string',
      };
    }
    if (typeof password !== 'string' || password === '') {
      return {
        option: `security.sasl.users[${index}].password`,
        rule: 'must be a non-empty string',
      };
    }
    // PLAIN is checked against the SHA-256 credential, so one exists whenever PLAIN is on.
    const hashes = new Set(
      mechanisms.map((m): ScramHash => (m === 'PLAIN' ? 'sha256' : SCRAM_HASHES[m])),
    );
    users.set(
      username,
      Object.fromEntries(
        [...hashes].map((hash) => [hash, deriveScramCredential(hash, password, iterations)]),
      ),
    );
  }
  return { mechanisms: [...new Set(mechanisms)], users };
}

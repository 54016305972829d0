/**
 * What kind of refusal a domain error is. The HTTP edge maps each kind to one status; the Kafka
 * edge dead-letters every kind except `lagging`, which it retries.
 */
export type DomainErrorKind =
  /** The input breaks a rule of the domain (a quantity above what is left): 422. */
  | 'rule'
  /** The input conflicts with what is already recorded (an id reused with other content): 409. */
  | 'conflict'
  /** A fact this service learns from another has not arrived yet: 409 with Retry-After. */
  | 'lagging'
  /** The entity does not exist: 404. */
  | 'not-found'
  /** The caller may not do this to this entity: 403. */
  | 'forbidden';

export interface DomainErrorOptions {
  /** Machine-readable code, kebab-case: `quantity-exceeds-unallocated`. */
  readonly code: string;
  readonly kind: DomainErrorKind;
  /** The field the refusal is about, as a path into the request (`quantity`, `data.lotId`). */
  readonly field?: string;
  /** Seconds after which a retry may succeed (lagging views). */
  readonly retryAfterSeconds?: number;
}

/**
 * Base of every refusal our services make. `retriable` says whether the same input may succeed
 * later without change: the Kafka consumer runner retries such errors with backoff and
 * dead-letters the others; the HTTP edge sends `Retry-After` for them.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly field?: string;
  readonly retryAfterSeconds?: number;

  constructor(message: string, options: DomainErrorOptions) {
    super(message);
    this.name = new.target.name;
    this.code = options.code;
    this.kind = options.kind;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get retriable(): boolean {
    return this.kind === 'lagging';
  }
}

/** True for an error that says of itself the same input may succeed later (`retriable: true`). */
export function isRetriable(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { retriable?: unknown }).retriable === true
  );
}

/** The refusal of a rule (422). */
export class RuleViolation extends DomainError {
  constructor(code: string, message: string, field?: string) {
    super(message, { code, kind: 'rule', field });
  }
}

/** A conflict with recorded state (409). */
export class Conflict extends DomainError {
  constructor(code: string, message: string, field?: string) {
    super(message, { code, kind: 'conflict', field });
  }
}

/** An entity that does not exist (404). */
export class NotFound extends DomainError {
  constructor(entity: string, id: string) {
    super(`${entity} ${id} does not exist`, { code: `${entity}-not-found`, kind: 'not-found' });
  }
}

/**
 * A live-read channel without data, in the words of the resource: `donor PL`, `pledge p-1`,
 * `overview` (the gateway's live reads and time travel answer it alike).
 */
export function channelNotFound(channel: string): NotFound {
  const colon = channel.indexOf(':');
  return colon < 0
    ? new NotFound(channel, '(no data yet)')
    : new NotFound(channel.slice(0, colon), channel.slice(colon + 1));
}

/** A write outside the caller's scope (403). */
export class Forbidden extends DomainError {
  constructor(message: string) {
    super(message, { code: 'outside-scope', kind: 'forbidden' });
  }
}

/**
 * A fact from another service that this service's local view does not have yet (409 with
 * Retry-After over HTTP; retried by Kafka consumers).
 */
export class ViewLagging extends DomainError {
  constructor(message: string, field?: string, retryAfterSeconds = 1) {
    super(message, { code: 'view-lagging', kind: 'lagging', field, retryAfterSeconds });
  }
}

/**
 * The one base class of every error the broker throws. `retriable` says whether the same
 * request may succeed when a client sends it again (Kafka's RetriableException): callers turn a
 * retriable failure into an error code clients retry on, and a non-retriable one into one they
 * give up on.
 */
export abstract class BrokerError extends Error {
  abstract readonly retriable: boolean;

  protected constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Whether a failure is worth a client's retry. Failures the broker did not classify (an
 * operating-system error, a fault in a store given to it) count as retriable: the client retries
 * what may be a passing fault instead of giving up on it.
 */
export function isRetriable(error: unknown): boolean {
  return error instanceof BrokerError ? error.retriable : true;
}

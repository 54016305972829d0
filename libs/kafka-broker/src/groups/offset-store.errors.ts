import { BrokerError } from '../errors';

/** A commit or delete reached an {@link OffsetStore} after `close()`. */
export class OffsetStoreClosedError extends BrokerError {
  /** The store closes with the broker: the client retries against the broker once it is back. */
  readonly retriable = true;

  constructor() {
    super('the offset store is closed');
  }
}

/** The offset log does not start with this store's header: it is not ours, so it is left alone. */
export class OffsetLogFormatError extends BrokerError {
  readonly retriable = false;

  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is not an offset log: ${detail}`);
  }
}

/** An earlier write failed and the log could not be cut back to its last good record. */
export class OffsetStoreFailedError extends BrokerError {
  /** The store refuses every later write: retrying cannot help until the broker restarts. */
  readonly retriable = false;

  constructor(cause: unknown) {
    super(`the offset store failed and refuses further writes: ${String(cause)}`, { cause });
  }
}

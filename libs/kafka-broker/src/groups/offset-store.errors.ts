/** A commit or delete reached an {@link OffsetStore} after `close()`. */
export class OffsetStoreClosedError extends Error {
  readonly retriable = false;

  constructor() {
    super('the offset store is closed');
    this.name = 'OffsetStoreClosedError';
  }
}

/** The offset log does not start with this store's header: it is not ours, so it is left alone. */
export class OffsetLogFormatError extends Error {
  readonly retriable = false;

  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is not an offset log: ${detail}`);
    this.name = 'OffsetLogFormatError';
  }
}

/** An earlier write failed and the log could not be cut back to its last good record. */
export class OffsetStoreFailedError extends Error {
  readonly retriable = false;

  constructor(cause: unknown) {
    super(`the offset store failed and refuses further writes: ${String(cause)}`, { cause });
    this.name = 'OffsetStoreFailedError';
  }
}

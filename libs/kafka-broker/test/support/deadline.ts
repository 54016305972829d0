/** A step that did not finish in time; names the step so a hang reads as a clear failure. */
export class DeadlineExceeded extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`${what} did not finish within ${timeoutMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/** Resolves or rejects like `promise`, or rejects with {@link DeadlineExceeded} after `timeoutMs`. */
export async function withDeadline<T>(
  what: string,
  timeoutMs: number,
  promise: Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(what, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

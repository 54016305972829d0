/**
 * Following an EPCIS capture job (`GET /epcis/capture/:id`, the `Location` of the 202) until it
 * is decided: shipment-service captures asynchronously, all or nothing per document.
 */

/** What `GET /epcis/capture/:id` answers (the fields the demo reads). */
export interface CaptureJob {
  readonly id: string;
  readonly status: 'pending' | 'succeeded' | 'failed';
  readonly errors?: ReadonlyArray<{
    readonly index?: number;
    readonly errorType?: string;
    readonly rule?: string;
    readonly detail?: string;
    readonly field?: string;
  }>;
  readonly failure?: { readonly errorType?: string; readonly detail?: string };
}

export type CaptureOutcome =
  | { readonly kind: 'succeeded'; readonly job: CaptureJob }
  | { readonly kind: 'failed'; readonly job: CaptureJob; readonly reason: string }
  | { readonly kind: 'undecided'; readonly reason: string };

export interface AwaitCaptureOptions {
  readonly fetch: typeof fetch;
  readonly token: string;
  /** Gives up (undecided) at this time, in `now()` milliseconds. */
  readonly deadline: number;
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly signal: AbortSignal;
}

/** One line naming every refused event of a failed capture: `event 0 SecurityException outside-scope at quantityList: …`. */
export function describeCaptureFailure(job: CaptureJob): string {
  const errors = (job.errors ?? []).map(
    (error) =>
      `event ${error.index ?? '?'} ${error.errorType ?? 'error'} ${error.rule ?? ''}` +
      `${error.field ? ` at ${error.field}` : ''}: ${error.detail ?? ''}`,
  );
  if (job.failure !== undefined) {
    errors.push(`${job.failure.errorType ?? 'failure'}: ${job.failure.detail ?? ''}`);
  }
  return `EPCIS capture ${job.id} failed: ${errors.join('; ') || 'no reason given'}`;
}

/** Polls the capture at `url` (25 ms doubling to 1 s) until it succeeded or failed, or the deadline. */
export async function awaitCapture(
  url: string,
  options: AwaitCaptureOptions,
): Promise<CaptureOutcome> {
  let last: string;
  for (let wait = 25; ; wait = Math.min(wait * 2, 1000)) {
    if (options.signal.aborted) return { kind: 'undecided', reason: 'stopped' };
    try {
      const response = await options.fetch(url, {
        headers: { authorization: `Bearer ${options.token}` },
        signal: AbortSignal.timeout(5_000),
      });
      if (response.ok) {
        const job = (await response.json()) as CaptureJob;
        if (job.status === 'succeeded') return { kind: 'succeeded', job };
        if (job.status === 'failed') {
          return { kind: 'failed', job, reason: describeCaptureFailure(job) };
        }
        last = `capture ${job.id} still ${job.status}`;
      } else {
        last = `GET ${url} → ${response.status}`;
        await response.text().catch(() => '');
      }
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (options.now() >= options.deadline) return { kind: 'undecided', reason: last };
    await options.sleep(wait, options.signal);
  }
}

import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** An HTTP answer and the moment (performance.now) its body ended. */
export interface Answer {
  readonly status: number;
  readonly at: number;
}

/** Keep-alive HTTP/1.1 requests with a bearer token, as an integrator's client sends them. */
export class HttpLoad {
  private readonly agent: Agent;

  constructor(
    private readonly token: string,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(url: string, method: string, body?: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const outgoing = request(url, {
        method,
        agent: this.agent,
        headers: {
          Authorization: `Bearer ${this.token}`,
          ...(body === undefined
            ? {}
            : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }),
        },
      });
      outgoing.on('response', (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, at: performance.now() }),
        );
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /**
   * Runs `count` requests, `concurrency` at a time (a closed loop: each client sends its next
   * request when the last one answered); returns the seconds it took. A non-2xx answer fails it.
   */
  async closedLoop(
    count: number,
    concurrency: number,
    next: (index: number) => Promise<Answer>,
  ): Promise<number> {
    let issued = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (issued < count) {
          const index = issued++;
          const answer = await next(index);
          if (answer.status >= 300) throw new Error(`request ${index} answered ${answer.status}`);
        }
      }),
    );
    return (performance.now() - started) / 1000;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The q-quantile of `samples` (nearest rank); NaN when there are none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

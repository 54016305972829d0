/**
 * Sends scenario steps: HTTP writes through the gateway (Bearer token, Idempotency-Key, retries
 * with backoff on network errors, 5xx, 429 and 409 + Retry-After) and producer milestones
 * straight to `tracker.inbound.shipments.v1` with kafkajs. A token bucket caps writes per second.
 */
import { buildEvent, serialize, TOPICS } from '@tracker/contracts';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { HttpStep, KafkaStep, Step } from './scenario';

export interface PublisherOptions {
  readonly gatewayUrl: string;
  readonly token: string;
  /** Writes per second, HTTP and Kafka together. */
  readonly rate: number;
  readonly logger: Logger;
  /** A kafkajs client; without one, producer milestones go over HTTP too. */
  readonly kafka?: Kafka;
  /** Where the event schemas are served (`<PUBLIC_URL>/schemas/`); the contracts default if unset. */
  readonly schemaBaseUri?: string;
  /** Attempts per write before it counts as an error. */
  readonly maxAttempts?: number;
  /** For tests. */
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

/** How long producer milestones go over HTTP after a failed Kafka send. */
export const KAFKA_PAUSE_MS = 30_000;

export interface PublisherStats {
  writes: number;
  http: number;
  kafka: number;
  retries: number;
  errors: number;
  /** Producer milestones sent over HTTP because Kafka was unavailable. */
  kafkaFallbacks: number;
}

/** What a refused write said, kept short for a log line. */
export class WriteFailed extends Error {
  constructor(
    readonly step: Step,
    readonly status: number | undefined,
    detail: string,
  ) {
    super(
      `${step.kind === 'http' ? `${step.method} ${step.path}` : `kafka ${TOPICS.inboundShipments}`}` +
        `${status === undefined ? '' : ` → ${status}`}: ${detail}`,
    );
    this.name = 'WriteFailed';
  }
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** A token bucket: `rate` tokens a second, bursts of at most `rate`. */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly rate: number,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.tokens = Math.max(1, Math.min(rate, 10));
    this.last = now();
  }

  /** Resolves when the caller may write; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.wait());
    this.queue = turn;
    return turn;
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(
        Math.max(1, this.rate),
        this.tokens + ((now - this.last) * this.rate) / 1000,
      );
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.rate));
    }
  }
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** Backoff before attempt `attempt + 1`: Retry-After when given, else exponential with jitter. */
export function backoffMs(attempt: number, retryAfter: string | null | undefined): number {
  const seconds = retryAfter == null ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 30_000);
  const date = retryAfter == null ? NaN : Date.parse(retryAfter);
  if (Number.isFinite(date)) return Math.min(Math.max(0, date - Date.now()), 30_000);
  const base = Math.min(200 * 2 ** attempt, 10_000);
  return base / 2 + Math.random() * (base / 2);
}

export class Publisher {
  readonly stats: PublisherStats = {
    writes: 0,
    http: 0,
    kafka: 0,
    retries: 0,
    errors: 0,
    kafkaFallbacks: 0,
  };
  private readonly limiter: RateLimiter;
  private readonly stopping = new AbortController();
  private producer: Producer | undefined;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly maxAttempts: number;
  private readonly base: string;
  private readonly now: () => number;
  /** After a failed send, producer milestones go over HTTP until then. */
  private kafkaPausedUntil = 0;

  constructor(private readonly options: PublisherOptions) {
    this.limiter = new RateLimiter(options.rate);
    this.fetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? defaultSleep;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.base = options.gatewayUrl.replace(/\/+$/, '');
    this.now = options.now ?? (() => Date.now());
  }

  /** Connects the Kafka producer; when Kafka does not answer, milestones go over HTTP. */
  async start(): Promise<void> {
    if (this.options.kafka === undefined) return;
    // Like the services' producers, let the broker create the topic if nothing has yet.
    const producer = this.options.kafka.producer({
      retry: { initialRetryTime: 200, retries: 3, maxRetryTime: 2000 },
    });
    try {
      await producer.connect();
      this.producer = producer;
    } catch (error) {
      this.options.logger.warn(
        { err: errorText(error) },
        'Kafka producer did not connect; producer milestones go over HTTP instead',
      );
    }
  }

  /** No new retries after this; in-flight attempts finish. */
  stop(): void {
    this.stopping.abort();
  }

  async close(): Promise<void> {
    this.stop();
    const producer = this.producer;
    this.producer = undefined;
    if (producer !== undefined) await producer.disconnect().catch(() => undefined);
  }

  /** Sends one step; throws {@link WriteFailed} when it is refused or retries run out. */
  async send(step: Step): Promise<void> {
    try {
      if (
        step.kind === 'kafka' &&
        this.producer !== undefined &&
        this.now() >= this.kafkaPausedUntil
      ) {
        await this.sendKafka(step, this.producer);
      } else if (step.kind === 'kafka') {
        this.stats.kafkaFallbacks++;
        await this.sendHttp(asHttp(step));
      } else {
        await this.sendHttp(step);
      }
      this.stats.writes++;
    } catch (error) {
      this.stats.errors++;
      throw error;
    }
  }

  private async sendKafka(step: KafkaStep, producer: Producer): Promise<void> {
    const event = buildEvent('tracker.shipment.milestone.v1', step.payload, {
      source: step.source,
      id: step.eventId,
      schemaBaseUri: this.options.schemaBaseUri,
    });
    const message = serialize(event);
    await this.limiter.take();
    try {
      await producer.send({ topic: TOPICS.inboundShipments, messages: [message] });
      this.stats.kafka++;
    } catch (error) {
      // kafkajs has retried already; the milestone still reaches the tracker over HTTP.
      if (this.now() >= this.kafkaPausedUntil) {
        this.options.logger.warn(
          { err: errorText(error) },
          `Kafka send failed; producer milestones go over HTTP for ${KAFKA_PAUSE_MS / 1000} s`,
        );
      }
      this.kafkaPausedUntil = this.now() + KAFKA_PAUSE_MS;
      this.stats.kafkaFallbacks++;
      await this.sendHttp(asHttp(step));
    }
  }

  private async sendHttp(step: HttpStep): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.limiter.take();
      let status: number | undefined;
      let retryAfter: string | null = null;
      let detail: string;
      try {
        const response = await this.fetch(`${this.base}${step.path}`, {
          method: step.method,
          headers: {
            authorization: `Bearer ${this.options.token}`,
            'content-type': 'application/json',
            'idempotency-key': step.idempotencyKey,
          },
          body: JSON.stringify(step.body),
          signal: AbortSignal.timeout(15_000),
        });
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        const text = await response.text().catch(() => '');
        this.stats.http++;
        if (response.ok) return;
        detail = problemDetail(text) ?? response.statusText;
      } catch (error) {
        detail = errorText(error);
      }
      const retryable =
        status === undefined || RETRYABLE.has(status) || (status === 409 && retryAfter !== null);
      if (!retryable || attempt + 1 >= this.maxAttempts || this.stopping.signal.aborted) {
        throw new WriteFailed(step, status, detail);
      }
      this.stats.retries++;
      await this.sleep(backoffMs(attempt, retryAfter), this.stopping.signal);
      if (this.stopping.signal.aborted) throw new WriteFailed(step, status, `${detail} (stopped)`);
    }
  }
}

/** A producer milestone as the equivalent HTTP write. */
export function asHttp(step: KafkaStep): HttpStep {
  const { shipmentId, ...body } = step.payload;
  return {
    kind: 'http',
    seq: step.seq,
    at: step.at,
    refs: step.refs,
    story: step.story,
    type: step.type,
    payload: step.payload,
    method: 'POST',
    path: `/v1/shipments/${encodeURIComponent(shipmentId)}/milestones`,
    body,
    idempotencyKey: `demo-kafka-${step.eventId}`,
  };
}

function problemDetail(text: string): string | undefined {
  try {
    const problem = JSON.parse(text) as {
      detail?: unknown;
      errors?: Array<{ field?: unknown; rule?: unknown }>;
    };
    const fields = (problem.errors ?? []).map((e) => `${String(e.field)} ${String(e.rule)}`);
    const detail = typeof problem.detail === 'string' ? problem.detail : undefined;
    return [detail, ...fields].filter(Boolean).join('; ') || undefined;
  } catch {
    return text.length > 0 ? text.slice(0, 200) : undefined;
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}

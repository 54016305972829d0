/**
 * Sends scenario steps as the party each one belongs to: HTTP writes through the gateway with
 * that party's Bearer token (Idempotency-Key, retries with backoff on network errors, 5xx, 429
 * and 409 + Retry-After), EPCIS documents to `POST /epcis/capture` the same way, then following
 * the capture until it is decided, and producer milestones on the producer's own Kafka topic
 * `tracker.inbound.<org>.shipments.v1`, with one kafkajs producer per organisation. A token
 * bucket caps writes per second. Counts what the tracker refused on each door: HTTP 4xx
 * answers and failed captures here, Kafka dead letters through {@link DeadLetterWatcher}.
 */
import { buildEvent, readDeadLetterHeaders, serialize } from '@tracker/contracts';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { awaitCapture } from './epcis-capture';
import { producerOrg } from './scenario';
import type { EpcisStep, HttpStep, KafkaStep, Step } from './scenario';

export interface PublisherOptions {
  readonly gatewayUrl: string;
  /** Each party's token by role string (`donor:DE` → its token); see `partyTokens`. */
  readonly tokens: ReadonlyMap<string, string>;
  /** Writes per second, HTTP, EPCIS and Kafka together (polling a capture is not a write). */
  readonly rate: number;
  readonly logger: Logger;
  /**
   * A kafkajs client for a producer organisation, authenticating as `producer:<org>` with its
   * token when SASL is on. Without it, producer milestones go over HTTP too.
   */
  readonly kafkaFor?: (org: string, token: string) => Kafka;
  /** `KAFKA_TOPIC_PREFIX`: put in front of every topic name. */
  readonly topicPrefix?: string;
  /** Where the event schemas are served (`<PUBLIC_URL>/schemas/`); the contracts default if unset. */
  readonly schemaBaseUri?: string;
  /** Attempts per write before it counts as an error. */
  readonly maxAttempts?: number;
  /**
   * How long to wait for a milestone sent on Kafka to show on its shipment (or be dead-lettered)
   * before the next step on that shipment goes ahead anyway.
   */
  readonly confirmTimeoutMs?: number;
  /** How long to follow an EPCIS capture before giving it up as an error (default 60 s). */
  readonly captureTimeoutMs?: number;
  /** For tests. */
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

/** How long a producer's milestones go over HTTP after its Kafka connection or send failed. */
export const KAFKA_PAUSE_MS = 30_000;
/** Default of {@link PublisherOptions.confirmTimeoutMs}. */
export const CONFIRM_TIMEOUT_MS = 20_000;
/**
 * Default of {@link PublisherOptions.captureTimeoutMs}: shipment-service retries a capture whose
 * pledge it does not know yet for 30 s before failing it, so this is past that.
 */
export const CAPTURE_TIMEOUT_MS = 60_000;

/** What the tracker refused, door by door. */
export interface Refused {
  /** HTTP writes answered with a 4xx that is not retried, or not sent for want of a token. */
  http: number;
  /** Kafka milestones the tracker dead-lettered (or not sent for want of a token). */
  kafka: number;
  /** EPCIS documents refused on `POST /epcis/capture`, or captured and failed (or no token). */
  epcis: number;
  /** Refusals by HTTP status (`403`, `409`…), `dead-letter`, `capture-failed` or `no-token`. */
  byStatus: Record<string, number>;
}

export interface PublisherStats {
  writes: number;
  http: number;
  kafka: number;
  /** EPCIS captures that succeeded. */
  epcis: number;
  retries: number;
  /** Transport failures: network errors, 5xx or 429 until the attempts ran out. */
  errors: number;
  refused: Refused;
  /** Producer milestones sent over HTTP because Kafka was unavailable. */
  kafkaFallbacks: number;
  /** Kafka milestones not seen on their shipment within the confirmation time. */
  unconfirmed: number;
}

/**
 * One line for logs:
 * `writes 12 (2 on Kafka, 3 by EPCIS), refused: http 0, kafka 0, epcis 0, errors: 0, retries 1`.
 */
export function describeStats(stats: PublisherStats): string {
  const by = Object.entries(stats.refused.byStatus)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  return (
    `writes ${stats.writes} (${stats.kafka} on Kafka, ${stats.epcis} by EPCIS), ` +
    `refused: http ${stats.refused.http}, kafka ${stats.refused.kafka}, ` +
    `epcis ${stats.refused.epcis}${by ? ` (${by})` : ''}, ` +
    `errors: ${stats.errors}, retries ${stats.retries}`
  );
}

/** Why a write did not go through, kept short for a log line. */
export class WriteFailed extends Error {
  constructor(
    readonly step: Step,
    readonly status: number | undefined,
    detail: string,
    /** True when the tracker (or the simulator, for want of a token) refused it: not a transport failure. */
    readonly refused = status !== undefined && status >= 400 && status < 500,
    /** How a refusal without an HTTP status is counted: `no-token` unless said. */
    readonly code = 'no-token',
  ) {
    super(`${step.actor} ${door(step)}${status === undefined ? '' : ` → ${status}`}: ${detail}`);
    this.name = 'WriteFailed';
  }
}

function door(step: Step): string {
  switch (step.kind) {
    case 'http':
      return `${step.method} ${step.path}`;
    case 'kafka':
      return `kafka ${step.topic}`;
    case 'epcis':
      return `POST /epcis/capture (${step.type.split('.')[2]} ${step.payload.shipmentId})`;
  }
}

/**
 * A producer's dispatch refused because shipment-service has not yet read the allocation it
 * rides on from tracker.production.v1 (a moment after the allocation was written): retried.
 * `status` is 403 over HTTP; a failed EPCIS capture says the same in its errors (no status).
 */
export function allocationLag(
  step: Pick<Step, 'type' | 'actor'>,
  status: number | undefined,
  detail: string,
): boolean {
  return (
    (status === 403 || status === undefined) &&
    step.type === 'tracker.shipment.dispatched.v1' &&
    producerOrg(step.actor) !== undefined &&
    /has no lots allocated to pledge|is not a lot of producer:\S+ allocated to pledge/.test(detail)
  );
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

/** A producer organisation's Kafka connection, made on its first milestone. */
interface OrgProducer {
  producer?: Producer;
  connecting?: Promise<Producer | undefined>;
  /** After a failed connection or send, its milestones go over HTTP until then. */
  pausedUntil: number;
}

export class Publisher {
  readonly stats: PublisherStats = {
    writes: 0,
    http: 0,
    kafka: 0,
    epcis: 0,
    retries: 0,
    errors: 0,
    refused: { http: 0, kafka: 0, epcis: 0, byStatus: {} },
    kafkaFallbacks: 0,
    unconfirmed: 0,
  };
  private readonly limiter: RateLimiter;
  private readonly stopping = new AbortController();
  private readonly orgs = new Map<string, OrgProducer>();
  /** Event ids of the milestones sent on Kafka, with the physical topic each went to. */
  private readonly sentOnKafka = new Map<string, string>();
  /** Event ids the dead-letter watcher reported. */
  private readonly deadLettered = new Set<string>();
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly maxAttempts: number;
  private readonly base: string;
  private readonly now: () => number;
  private readonly prefix: string;

  constructor(private readonly options: PublisherOptions) {
    this.limiter = new RateLimiter(options.rate);
    // Every write backing off at once listens for the stop.
    setMaxListeners(0, this.stopping.signal);
    this.fetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? defaultSleep;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.base = options.gatewayUrl.replace(/\/+$/, '');
    this.now = options.now ?? (() => Date.now());
    this.prefix = options.topicPrefix ?? '';
  }

  /** Nothing to do up front: each producer organisation connects on its first milestone. */
  async start(): Promise<void> {}

  /** No new retries after this; in-flight attempts finish. */
  stop(): void {
    this.stopping.abort();
  }

  async close(): Promise<void> {
    this.stop();
    const producers = [...this.orgs.values()];
    this.orgs.clear();
    await Promise.all(
      producers.map(async (org) => {
        const producer = org.producer ?? (await org.connecting?.catch(() => undefined));
        await producer?.disconnect().catch(() => undefined);
      }),
    );
  }

  /**
   * A dead letter from tracker.deadletter.v1: counted as a Kafka refusal when it is one of the
   * milestones this publisher sent, dead-lettered off the topic it was sent to. True if counted.
   */
  deadLetter(eventId: string | undefined, sourceTopic: string, reason: string): boolean {
    if (eventId === undefined || this.sentOnKafka.get(eventId) !== sourceTopic) return false;
    if (this.deadLettered.has(eventId)) return false;
    this.deadLettered.add(eventId);
    this.refuse('kafka', 'dead-letter');
    this.options.logger.warn({ eventId, topic: sourceTopic }, `Kafka milestone refused: ${reason}`);
    return true;
  }

  /** Sends one step as its party; throws {@link WriteFailed} when it is refused or retries run out. */
  async send(step: Step): Promise<void> {
    try {
      const token = this.options.tokens.get(step.actor);
      if (token === undefined) {
        // Never impersonated: a party without a token does not write.
        throw new WriteFailed(step, undefined, `no token for ${step.actor} in AUTH_TOKENS`, true);
      }
      if (step.kind === 'kafka') await this.sendMilestone(step, token);
      else if (step.kind === 'epcis') await this.sendEpcis(step, token);
      else await this.sendHttp(step, token);
      this.stats.writes++;
    } catch (error) {
      if (error instanceof WriteFailed && error.refused) {
        this.refuse(
          error.step.kind === 'epcis'
            ? 'epcis'
            : error.step.kind === 'kafka' && error.status === undefined
              ? 'kafka'
              : 'http',
          error.status === undefined ? error.code : String(error.status),
        );
      } else {
        this.stats.errors++;
      }
      throw error;
    }
  }

  private refuse(door: 'http' | 'kafka' | 'epcis', status: string): void {
    this.stats.refused[door]++;
    this.stats.refused.byStatus[status] = (this.stats.refused.byStatus[status] ?? 0) + 1;
  }

  /** On the producer's own topic when Kafka answers, else over HTTP as the same producer. */
  private async sendMilestone(step: KafkaStep, token: string): Promise<void> {
    const org = producerOrg(step.actor);
    const producer = org === undefined ? undefined : await this.producerOf(org, token);
    if (org === undefined || producer === undefined) {
      this.stats.kafkaFallbacks++;
      return this.sendHttp(asHttp(step), token);
    }
    const event = buildEvent('tracker.shipment.milestone.v1', step.payload, {
      source: step.source,
      id: step.eventId,
      schemaBaseUri: this.options.schemaBaseUri,
    });
    const topic = `${this.prefix}${step.topic}`;
    await this.limiter.take();
    this.sentOnKafka.set(step.eventId, topic);
    try {
      await producer.send({ topic, messages: [serialize(event)] });
    } catch (error) {
      // kafkajs has retried already; the milestone still reaches the tracker over HTTP.
      this.pause(org, `Kafka send as producer:${org} failed`, error);
      this.sentOnKafka.delete(step.eventId);
      this.stats.kafkaFallbacks++;
      return this.sendHttp(asHttp(step), token);
    }
    this.stats.kafka++;
    await this.confirm(step, token);
  }

  /** The organisation's connected producer, or undefined while its Kafka is unavailable. */
  private async producerOf(org: string, token: string): Promise<Producer | undefined> {
    const kafkaFor = this.options.kafkaFor;
    if (kafkaFor === undefined) return undefined;
    let state = this.orgs.get(org);
    if (state === undefined) {
      state = { pausedUntil: 0 };
      this.orgs.set(org, state);
    }
    if (state.producer !== undefined) {
      return this.now() >= state.pausedUntil ? state.producer : undefined;
    }
    if (this.now() < state.pausedUntil) return undefined;
    const current = state;
    current.connecting ??= (async () => {
      // The inbound topics exist already: shipment-service creates one per producer it knows.
      const producer = kafkaFor(org, token).producer({
        allowAutoTopicCreation: false,
        retry: { initialRetryTime: 200, retries: 3, maxRetryTime: 2000 },
      });
      try {
        await producer.connect();
        current.producer = producer;
        return producer;
      } catch (error) {
        this.pause(org, `Kafka producer of producer:${org} did not connect`, error);
        await producer.disconnect().catch(() => undefined);
        return undefined;
      } finally {
        current.connecting = undefined;
      }
    })();
    return current.connecting;
  }

  private pause(org: string, what: string, error: unknown): void {
    const state = this.orgs.get(org);
    if (state === undefined) return;
    if (this.now() >= state.pausedUntil) {
      this.options.logger.warn(
        { err: errorText(error) },
        `${what}; its milestones go over HTTP for ${KAFKA_PAUSE_MS / 1000} s`,
      );
    }
    state.pausedUntil = this.now() + KAFKA_PAUSE_MS;
  }

  /**
   * Waits until the milestone shows on its shipment (read as its sender), or the shipment has
   * moved on (delivered, or a loss reported: a replayed story), or the milestone was
   * dead-lettered, so that the next step on the shipment (a receipt) never overtakes it.
   */
  private async confirm(step: KafkaStep, token: string): Promise<void> {
    const deadline = this.now() + (this.options.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS);
    const at = Date.parse(step.payload.at);
    const url = `${this.base}/v1/shipments/${encodeURIComponent(step.payload.shipmentId)}`;
    for (let wait = 25; ; wait = Math.min(wait * 2, 500)) {
      if (this.deadLettered.has(step.eventId) || this.stopping.signal.aborted) return;
      try {
        const response = await this.fetch(url, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(5_000),
        });
        if (response.ok) {
          const shipment = (await response.json()) as {
            status?: string;
            lastMilestone?: { at?: string } | null;
          };
          const last = Date.parse(shipment.lastMilestone?.at ?? '');
          if (shipment.status !== 'in-transit' || last >= at) return;
        } else {
          await response.text().catch(() => '');
        }
      } catch {
        // The gateway will answer again; the deadline bounds the wait.
      }
      if (this.now() >= deadline) {
        this.stats.unconfirmed++;
        this.options.logger.warn(
          { eventId: step.eventId, shipmentId: step.payload.shipmentId },
          'Kafka milestone not seen on its shipment in time; the next steps on it go ahead',
        );
        return;
      }
      await this.sleep(wait, this.stopping.signal);
    }
  }

  private async sendHttp(step: HttpStep, token: string): Promise<void> {
    await this.write(step, step, token);
  }

  /**
   * Captures the step's EPCIS document and follows the capture until it is decided. A capture
   * that failed only because shipment-service had not yet read the allocation the dispatch rides
   * on is sent again (a new capture, under a key of its own), within the same attempts.
   */
  private async sendEpcis(step: EpcisStep, token: string): Promise<void> {
    for (let round = 0; ; round++) {
      const key = round === 0 ? step.idempotencyKey : `${step.idempotencyKey}-again-${round}`;
      const request = { method: 'POST', path: '/epcis/capture', body: step.document };
      const { location } = await this.write(step, { ...request, idempotencyKey: key }, token);
      if (location === null) throw new WriteFailed(step, undefined, 'capture answered no Location');
      const outcome = await awaitCapture(new URL(location, `${this.base}/`).href, {
        fetch: this.fetch,
        token,
        deadline: this.now() + (this.options.captureTimeoutMs ?? CAPTURE_TIMEOUT_MS),
        now: this.now,
        sleep: this.sleep,
        signal: this.stopping.signal,
      });
      if (outcome.kind === 'succeeded') {
        this.stats.epcis++;
        return;
      }
      if (outcome.kind === 'undecided') {
        throw new WriteFailed(
          step,
          undefined,
          `capture at ${location} not decided: ${outcome.reason}`,
        );
      }
      const lagging = allocationLag(step, undefined, outcome.reason);
      if (!lagging || round + 1 >= this.maxAttempts || this.stopping.signal.aborted) {
        throw new WriteFailed(step, undefined, outcome.reason, true, 'capture-failed');
      }
      this.stats.retries++;
      await this.sleep(backoffMs(round, null), this.stopping.signal);
    }
  }

  /** One write with its retries; resolves with the answer's `Location` on a 2xx. */
  private async write(
    step: HttpStep | EpcisStep,
    request: { method: string; path: string; body: unknown; idempotencyKey: string },
    token: string,
  ): Promise<{ location: string | null }> {
    for (let attempt = 0; ; attempt++) {
      await this.limiter.take();
      let status: number | undefined;
      let retryAfter: string | null = null;
      let detail: string;
      try {
        const response = await this.fetch(`${this.base}${request.path}`, {
          method: request.method,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': request.idempotencyKey,
          },
          body: JSON.stringify(request.body),
          signal: AbortSignal.timeout(15_000),
        });
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        const text = await response.text().catch(() => '');
        this.stats.http++;
        if (response.ok) return { location: response.headers.get('location') };
        detail = problemDetail(text) ?? response.statusText;
      } catch (error) {
        detail = errorText(error);
      }
      const retryable =
        status === undefined ||
        RETRYABLE.has(status) ||
        (status === 409 && retryAfter !== null) ||
        (status === 403 && allocationLag(step, status, detail));
      if (!retryable || attempt + 1 >= this.maxAttempts || this.stopping.signal.aborted) {
        throw new WriteFailed(step, status, detail);
      }
      this.stats.retries++;
      await this.sleep(backoffMs(attempt, retryAfter), this.stopping.signal);
      if (this.stopping.signal.aborted) throw new WriteFailed(step, status, `${detail} (stopped)`);
    }
  }
}

/** A producer milestone as the equivalent HTTP write, by the same producer. */
export function asHttp(step: KafkaStep): HttpStep {
  const { shipmentId, ...body } = step.payload;
  return {
    kind: 'http',
    seq: step.seq,
    actor: step.actor,
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

export interface DeadLetterWatcherOptions {
  /** A kafkajs client allowed to read the dead-letter topic (`admin` when SASL is on). */
  readonly kafka: Kafka;
  /** The physical dead-letter topic: `KAFKA_TOPIC_PREFIX` + tracker.deadletter.v1. */
  readonly topic: string;
  /** `KAFKA_GROUP_PREFIX` (default `tracker`): the group is `<prefix>.demo.dead-letters.<random>`. */
  readonly groupPrefix: string;
  /** Dead letters written before this time (earlier runs) are ignored. */
  readonly since: number;
  readonly logger: Logger;
  /** Each dead letter of this run: the event id (when its value is a CloudEvent), where from, why. */
  readonly onDeadLetter: (eventId: string | undefined, sourceTopic: string, reason: string) => void;
  /** How long to wait for the consumer group to be joined. */
  readonly joinTimeoutMs?: number;
}

/**
 * Reads tracker.deadletter.v1 from the beginning in a consumer group of its own and hands each
 * dead letter written since the run began to `onDeadLetter`: the Kafka door's refusals.
 */
export class DeadLetterWatcher {
  /** Offsets consumed so far, by partition: the next offset to read. */
  private readonly consumed = new Map<number, bigint>();

  private constructor(
    private readonly options: DeadLetterWatcherOptions,
    private readonly consumer: Consumer,
  ) {}

  static async start(options: DeadLetterWatcherOptions): Promise<DeadLetterWatcher> {
    const { kafka, topic } = options;
    const admin = kafka.admin();
    try {
      // The services create it on their first dead letter; reading it needs it to exist.
      await admin.connect();
      await admin.createTopics({ topics: [{ topic }] });
    } catch {
      // Not allowed to create topics, or created meanwhile: reading tells.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const consumer = kafka.consumer({
      groupId: `${options.groupPrefix}.demo.dead-letters.${randomBytes(4).toString('hex')}`,
      allowAutoTopicCreation: false,
    });
    const watcher = new DeadLetterWatcher(options, consumer);
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          watcher.consumed.set(partition, BigInt(message.offset) + 1n);
          watcher.read(message.headers ?? {}, message.value);
        },
      });
      const deadline = Date.now() + (options.joinTimeoutMs ?? 15_000);
      while (!joined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (!joined) throw new Error(`did not join a consumer group on ${topic}`);
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    return watcher;
  }

  private read(headers: Parameters<typeof readDeadLetterHeaders>[0], value: Buffer | null): void {
    const info = readDeadLetterHeaders(headers);
    if (info === undefined || Date.parse(info.at) < this.options.since) return;
    let eventId: string | undefined;
    try {
      const id = (JSON.parse(value?.toString('utf8') ?? '') as { id?: unknown }).id;
      eventId = typeof id === 'string' ? id : undefined;
    } catch {
      eventId = undefined;
    }
    this.options.onDeadLetter(eventId, info.sourceTopic, info.reason);
  }

  /** Resolves once everything on the topic now has been read, or after `timeoutMs`. */
  async settle(timeoutMs = 10_000): Promise<boolean> {
    const admin = this.options.kafka.admin();
    const deadline = Date.now() + timeoutMs;
    try {
      await admin.connect();
      const ends = await admin.fetchTopicOffsets(this.options.topic);
      for (;;) {
        const behind = ends.some(
          ({ partition, high }) => (this.consumed.get(partition) ?? 0n) < BigInt(high),
        );
        if (!behind) return true;
        if (Date.now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (error) {
      this.options.logger.warn({ err: errorText(error) }, 'could not read dead-letter offsets');
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
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

import { isRetriable } from '@tracker/errors';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { ConsumerMetrics, ConsumerOutcome } from './consumer.metrics';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { groupTiming } from './group-timing';

/** One consumed message and where it came from. */
export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

/** How long a failing message is retried before it is dead-lettered. */
export interface RetryPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Past this, even a retriable error dead-letters the message (the reason says so). */
  readonly giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialMs: 100, maxMs: 2000, giveUpAfterMs: 30_000 };

/** What a consumer runner consumes and what it does with each message. */
export interface ConsumerSpec {
  readonly groupId: string;
  /**
   * Topic names, or patterns matched against the topics that exist when the member subscribes
   * (kafkajs resolves a pattern once, at subscription: topics created later are read after the
   * next restart).
   */
  readonly topics: readonly (string | RegExp)[];
  readonly fromBeginning: boolean;
  /**
   * Applies one message. Resolving means done (the offset may be committed); throwing an error
   * with `retriable: false` dead-letters the message at once; any other error is retried with
   * backoff until the policy gives up, then dead-lettered.
   */
  handle(consumed: ConsumedMessage): Promise<void>;
  /**
   * Applies a whole fetched batch at once (one database transaction, say), all or nothing. When
   * it throws, the runner applies the batch's messages one by one with `handle` instead, so a
   * failing message is retried or dead-lettered alone and the others are not held up.
   */
  handleBatch?(batch: readonly ConsumedMessage[]): Promise<void>;
  readonly retry?: RetryPolicy;
  /**
   * Runs before each attempt to subscribe, and is retried with it: creates the topics a pattern
   * in `topics` must find.
   */
  prepare?(): Promise<void>;
  /** Where refused messages go; tracker.deadletter.v1 unless set. */
  readonly deadLetterTopic?: string;
  /** The member's group session timeout ({@link groupTiming}); `KAFKA_SESSION_TIMEOUT_MS`'s default unless set. */
  readonly sessionTimeoutMs?: number;
}

type State = 'starting' | 'running' | 'stopped';

/**
 * Runs one consumer group member: messages in partition order (a fetched batch at once when the
 * spec can, else one by one), each offset resolved once its message is applied or dead-lettered
 * and committed at most every {@link COMMIT_INTERVAL_MS}, so a crash re-delivers what was applied
 * since the last commit (the handler dedupes by event id). A poison message never stops the
 * partition: it goes to the dead-letter topic with the reason and the runner carries on.
 */
export class ConsumerRunner {
  private consumer?: Consumer;
  private state: State = 'starting';
  private joined = false;
  private stopping = false;
  private lastError?: string;
  /** Failed attempts that were retried: `/health/ready` shows it, tests wait on it. */
  private retried = 0;
  /** The connection attempt in flight, if any: `stop()` lets it finish before disconnecting. */
  private attempt?: Promise<void>;
  /** Settles once the running consumer first joined its group or crashed. */
  private settled?: Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    private readonly spec: ConsumerSpec,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly logger: Logger,
    private readonly metrics?: ConsumerMetrics,
  ) {}

  /** True once the member has joined its group and is consuming. */
  get ready(): boolean {
    return this.state === 'running' && this.joined;
  }

  get status(): {
    groupId: string;
    state: State;
    joined: boolean;
    retried: number;
    lastError?: string;
  } {
    return {
      groupId: this.spec.groupId,
      state: this.state,
      joined: this.joined,
      retried: this.retried,
      lastError: this.lastError,
    };
  }

  /** Starts in the background, retrying the connection until Kafka answers or `stop()`. */
  start(): void {
    void this.runUntilStopped();
  }

  /**
   * Stops consuming and leaves the group. A consumer told to disconnect while it is still
   * joining its group comes back to life once the join completes (kafkajs only marks it running
   * then), so a stop during start-up first lets the attempt and the join settle, for at most
   * {@link STOP_SETTLE_MS}.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.state = 'stopped';
    await settleWithin(
      (async () => {
        await this.attempt?.catch(() => undefined);
        await this.settled;
      })(),
      STOP_SETTLE_MS,
    );
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async runUntilStopped(): Promise<void> {
    let delay = 200;
    while (!this.stopping) {
      try {
        this.attempt = this.connectAndRun();
        await this.attempt;
        return;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.logger.warn(
          { groupId: this.spec.groupId, err: error },
          'consumer could not start; retrying',
        );
        await this.consumer?.disconnect().catch(() => undefined);
        await pause(delay);
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  private async connectAndRun(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.spec.groupId,
      ...groupTiming(this.spec.sessionTimeoutMs),
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.consumer = consumer;
    let settle = () => {};
    const settled = new Promise<void>((resolve) => (settle = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      settle();
    });
    consumer.on(consumer.events.REBALANCING, () => {
      this.joined = false;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.lastError = payload.error.message;
      this.joined = false;
      settle();
    });
    await consumer.connect();
    if (this.stopping) return;
    await this.spec.prepare?.();
    if (this.stopping) return;
    await consumer.subscribe({
      topics: [...this.spec.topics],
      fromBeginning: this.spec.fromBeginning,
    });
    if (this.stopping) return;
    this.settled = settled;
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: COMMIT_INTERVAL_MS,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    this.state = 'running';
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (!(await this.appliedTogether(payload))) {
      for (const message of batch.messages) {
        if (!payload.isRunning() || payload.isStale()) return;
        await this.process({ topic: batch.topic, partition: batch.partition, message }, () =>
          payload.heartbeat(),
        );
        payload.resolveOffset(message.offset);
        await payload.commitOffsetsIfNecessary();
      }
    }
    this.metrics?.lagged(
      this.spec.groupId,
      batch.topic,
      batch.partition,
      Number(batch.offsetLag()),
    );
  }

  private count(outcome: ConsumerOutcome, count = 1): void {
    this.metrics?.counted(this.spec.groupId, outcome, count);
  }

  /** True when `handleBatch` applied the whole batch (and its last offset is resolved). */
  private async appliedTogether(payload: EachBatchPayload): Promise<boolean> {
    const { batch } = payload;
    const last = batch.messages.at(-1);
    if (!this.spec.handleBatch || last === undefined || batch.messages.length < 2) return false;
    if (!payload.isRunning() || payload.isStale()) return false;
    const { topic, partition } = batch;
    try {
      await this.spec.handleBatch(batch.messages.map((message) => ({ topic, partition, message })));
    } catch (error) {
      this.logger.debug(
        { topic, partition, messages: batch.messages.length, err: error },
        'batch not applied at once; applying its messages one by one',
      );
      return false;
    }
    this.count('applied', batch.messages.length);
    payload.resolveOffset(last.offset);
    await payload.commitOffsetsIfNecessary();
    return true;
  }

  private async process(consumed: ConsumedMessage, heartbeat: () => Promise<void>): Promise<void> {
    const policy = this.spec.retry ?? DEFAULT_RETRY;
    const startedAt = Date.now();
    let delay = policy.initialMs;
    for (;;) {
      try {
        await this.spec.handle(consumed);
        this.count('applied');
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const explicitlyFinal = (error as { retriable?: unknown })?.retriable === false;
        const expired = Date.now() - startedAt + delay > policy.giveUpAfterMs;
        if (explicitlyFinal || expired || this.stopping) {
          if (this.stopping && !explicitlyFinal) throw error;
          const why = explicitlyFinal
            ? reason
            : `still failing after ${Math.round((Date.now() - startedAt) / 1000)} s: ${reason}`;
          await this.deadLetters.reject(consumed, why, this.spec.deadLetterTopic);
          this.count('dead-lettered');
          this.logger.warn(
            {
              topic: consumed.topic,
              partition: consumed.partition,
              offset: consumed.message.offset,
              reason: why,
            },
            'message dead-lettered',
          );
          return;
        }
        this.logger.debug(
          {
            topic: consumed.topic,
            offset: consumed.message.offset,
            retriable: isRetriable(error),
            reason,
          },
          'message failed; retrying',
        );
        this.retried += 1;
        this.count('retried');
        await pause(delay);
        await heartbeat();
        delay = Math.min(delay * 2, policy.maxMs);
      }
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Offsets are committed at most this often while messages flow (and when the member stops or
 * gives up partitions), not after every message: a commit is a broker round trip per message,
 * and what a crash re-delivers the handler dedupes by event id anyway.
 */
const COMMIT_INTERVAL_MS = 1000;

/** Longest a `stop()` during start-up waits for the consumer to settle before disconnecting. */
const STOP_SETTLE_MS = 10_000;

/** Resolves when `work` settles or after `ms`, whichever is first, leaving no timer behind. */
async function settleWithin(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([work.catch(() => undefined), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

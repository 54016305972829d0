import { parseMessage, TrackerEvent } from '@tracker/contracts';
import { type DeadLetterPublisher, groupTiming } from '@tracker/kafka';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { BatchApplier } from '../apply/batch-applier';
import type { RecordedEvent } from '../apply/batch-plan';
import type { ProjectionMetrics } from '../metrics/projection.metrics';
import { canonicalTopic, inputTopics, ProjectionTopics } from './projection-topics';

export interface ConsumerSettings {
  readonly groupId: string;
  readonly topics: ProjectionTopics;
  /** Partitions whose batches are folded at the same time (their steps are atomic each). */
  readonly partitionsConsumedConcurrently: number;
  /**
   * How long a member that died holds its partitions ({@link groupTiming}); the default of
   * `KAFKA_SESSION_TIMEOUT_MS` unless set.
   */
  readonly sessionTimeoutMs?: number;
  /** Told of the events of every batch once they are in the read model. */
  readonly onApplied?: (events: readonly TrackerEvent[]) => void;
}

/**
 * The Kafka edge of the projection: one group member, batch by batch. Positions live in Redis,
 * not in Kafka: nothing is ever committed to the group, every assigned partition is sought to
 * the offset stored with the read model, and a batch the applier refuses (another member or a
 * rebuild moved the partition on) makes it seek again. Poison messages go to the dead-letter
 * topic with the reason; their offsets still advance with the batch.
 */
export class ProjectionConsumer {
  private consumer?: Consumer;
  private assignment: Record<string, number[]> = {};
  private joined = false;
  private readonly lag = new Map<string, number>();

  constructor(
    private readonly kafka: Kafka,
    private readonly applier: BatchApplier,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly metrics: ProjectionMetrics,
    private readonly logger: Logger,
    private readonly settings: ConsumerSettings,
  ) {}

  /** True once the member has joined its group and had its partitions assigned. */
  get ready(): boolean {
    return this.joined;
  }

  /** Messages behind the log end, summed over the partitions of this member. */
  get totalLag(): number {
    let total = 0;
    for (const value of this.lag.values()) total += value;
    return total;
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.settings.groupId,
      ...groupTiming(this.settings.sessionTimeoutMs),
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      void this.onAssignment(consumer, payload.memberAssignment, { joined: true });
    });
    consumer.on(consumer.events.REBALANCING, () => {
      this.joined = false;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      this.logger.error({ err: payload.error }, 'projection consumer crashed');
    });
    await consumer.connect();
    await consumer.subscribe({ topics: inputTopics(this.settings.topics), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(consumer, payload),
    });
  }

  async stop(): Promise<void> {
    this.joined = false;
    await this.consumer?.disconnect().catch(() => undefined);
  }

  /**
   * Seeks every assigned partition to where it continues in the applier's epoch: after the
   * epoch changed (a rebuild switched, Redis was flushed), idle partitions too must be re-read.
   */
  async resync(): Promise<void> {
    if (this.consumer !== undefined)
      await this.onAssignment(this.consumer, this.assignment, { joined: false });
  }

  /**
   * @param joined true right after joining the group: nothing is ever committed, so kafkajs
   * starts every partition at its first offset (`fromBeginning`), and a partition with no stored
   * offset is not sought there again — such a seek drops the batches already being fetched from
   * that very offset and reads them twice. After an epoch change positions are anywhere: every
   * partition is sought.
   */
  private async onAssignment(
    consumer: Consumer,
    assignment: Record<string, number[]>,
    { joined }: { joined: boolean },
  ): Promise<void> {
    this.assignment = assignment;
    this.applier.forgetPositions();
    this.lag.clear();
    try {
      for (const [topic, partitions] of Object.entries(assignment)) {
        for (const partition of partitions) {
          const { offset, stored } = await this.applier.resumePosition(topic, partition);
          if (stored || !joined) consumer.seek({ topic, partition, offset });
        }
      }
      this.joined = true;
    } catch (error) {
      // The first batch of each partition finds its position itself; this only saves a fetch.
      this.logger.warn(
        { err: error },
        'could not seek the assigned partitions to their stored offsets',
      );
      this.joined = true;
    }
  }

  private async eachBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || !payload.isRunning() || payload.isStale()) return;
    const started = process.hrtime.bigint();
    const known = this.applier.knownOffset(batch.topic, batch.partition);
    if (known !== undefined && known !== batch.firstOffset()) {
      // Fetched before a seek took effect: the applier would refuse it, so it is not parsed.
      return this.fenced(consumer, batch.topic, batch.partition, known);
    }
    const topic = canonicalTopic(this.settings.topics, batch.topic);
    const events: RecordedEvent[] = [];
    const poison: { message: KafkaMessage; reason: string }[] = [];
    for (const message of batch.messages) {
      const parsed = parseMessage(topic, message);
      if (parsed.ok) events.push({ event: parsed.event, recordedMs: Number(message.timestamp) });
      else poison.push({ message, reason: parsed.error.message });
    }
    for (const { message, reason } of poison) {
      await this.deadLetters.reject(
        { topic: batch.topic, partition: batch.partition, message },
        reason,
        this.settings.topics.deadLetter,
      );
    }
    const outcome = await this.applier.apply({
      topic: batch.topic,
      partition: batch.partition,
      firstOffset: batch.firstOffset() as string,
      nextOffset: (BigInt(batch.lastOffset()) + 1n).toString(),
      events,
    });
    if (outcome.kind === 'fenced') {
      const offset =
        outcome.offset ?? (await this.applier.resumeOffset(batch.topic, batch.partition));
      return this.fenced(consumer, batch.topic, batch.partition, offset);
    }
    this.settings.onApplied?.(events.map(({ event }) => event));
    payload.resolveOffset(batch.lastOffset());
    this.lag.set(`${batch.topic}:${batch.partition}`, Number(batch.offsetLag()));
    this.metrics.applied(batch.topic, batch.partition, {
      events: outcome.events,
      poison: poison.length,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      lag: Number(batch.offsetLag()),
    });
    await payload.heartbeat();
  }

  private fenced(consumer: Consumer, topic: string, partition: number, offset: string): void {
    consumer.seek({ topic, partition, offset });
    this.metrics.batch('fenced');
  }
}

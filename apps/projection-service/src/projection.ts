import type { DeadLetterPublisher, EventProducer } from '@tracker/kafka';
import { ReadModelWriter } from '@tracker/read-model';
import type Redis from 'ioredis';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { AlertPolicy, DEFAULT_ALERT_POLICY } from './alerts/alert-rules';
import { BatchApplier, EpochTarget } from './apply/batch-applier';
import { Clock, SYSTEM_CLOCK } from './clock/clock';
import { ClockTick, TickOutcome } from './clock/clock-tick';
import { ProjectionConsumer } from './consumer/projection-consumer';
import type { ProjectionTopics } from './consumer/projection-topics';
import { ProjectionMetrics } from './metrics/projection.metrics';
import { AlertPublisher } from './outbox/alert-publisher';

export interface ProjectionSettings {
  readonly groupId: string;
  readonly topics: ProjectionTopics;
  readonly namespace: string;
  readonly streamMaxLength?: number;
  readonly dedupeWindow?: number;
  /** Clock tick period; 0: no ticks (tests drive {@link Projection.tick}). */
  readonly tickMs: number;
  readonly readyMaxLag: number;
  readonly partitionsConsumedConcurrently?: number;
  readonly alertPolicy?: AlertPolicy;
  /** How often the alert outbox is drained. */
  readonly outboxPollMs?: number;
  /** How often an idle member checks whether the epoch changed. */
  readonly epochCheckMs?: number;
  readonly sessionTimeoutMs?: number;
}

/** What the projection needs from the outside world. */
export interface ProjectionDependencies {
  readonly kafka: Kafka;
  readonly redis: Redis;
  readonly producer: EventProducer;
  readonly deadLetters: DeadLetterPublisher;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly metrics?: ProjectionMetrics;
}

/**
 * The running projection of one process: the consumer, the clock and the alert publisher over
 * one read model. `start` joins the current epoch (creating one, and so replaying every topic
 * from the beginning, when Redis has none) and returns once the consumer runs.
 */
export class Projection {
  readonly metrics: ProjectionMetrics;
  readonly writer: ReadModelWriter;
  private readonly target: EpochTarget = { epoch: '', live: true };
  private readonly clock: Clock;
  private admin?: Admin;
  private consumer?: ProjectionConsumer;
  private timers: NodeJS.Timeout[] = [];
  private building = false;
  private stopped = false;

  constructor(
    private readonly deps: ProjectionDependencies,
    private readonly settings: ProjectionSettings,
  ) {
    this.metrics = deps.metrics ?? new ProjectionMetrics();
    this.clock = deps.clock ?? SYSTEM_CLOCK;
    this.writer = new ReadModelWriter(deps.redis, {
      namespace: settings.namespace,
      streamMaxLength: settings.streamMaxLength,
      dedupeWindow: settings.dedupeWindow,
    });
  }

  get epoch(): string {
    return this.target.epoch;
  }

  /** Ready: consuming, not far behind, and not filling a fresh epoch from the beginning. */
  get status(): { ready: boolean; joined: boolean; lag: number; building: boolean; epoch: string } {
    const joined = this.consumer?.ready ?? false;
    const lag = this.consumer?.totalLag ?? 0;
    if (this.building && joined && lag <= this.settings.readyMaxLag) this.building = false;
    const ready = joined && !this.building && lag <= this.settings.readyMaxLag;
    return { ready, joined, lag, building: this.building, epoch: this.target.epoch };
  }

  async start(): Promise<void> {
    this.stopped = false;
    const { epoch, created } = await this.writer.startEpoch();
    this.target.epoch = epoch;
    this.building = created;
    const admin = this.deps.kafka.admin();
    await admin.connect();
    this.admin = admin;
    const applier = new BatchApplier(
      this.writer,
      this.target,
      (topic, partition) => earliestOffset(admin, topic, partition),
      {
        emit: true,
        onEpochChange: () => void this.consumer?.resync(),
        onConflict: (what) => this.metrics.conflict(what),
      },
    );
    this.consumer = new ProjectionConsumer(
      this.deps.kafka,
      applier,
      this.deps.deadLetters,
      this.metrics,
      this.deps.logger,
      {
        groupId: this.settings.groupId,
        topics: this.settings.topics,
        partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently ?? 8,
        sessionTimeoutMs: this.settings.sessionTimeoutMs,
        onApplied: (events) => this.clock.observe?.(events),
      },
    );
    await this.consumer.start();
    if (this.settings.tickMs > 0) this.every(this.settings.tickMs, () => this.tickWhenCaughtUp());
    // An idle member would not notice a rebuild's switch or a flushed Redis from its batches.
    this.every(this.settings.epochCheckMs ?? 1000, async () => {
      if (await applier.followEpoch(await this.writer.currentEpoch()))
        await this.consumer?.resync();
    });
    this.every(this.settings.outboxPollMs ?? 1000, () => this.publishAlerts());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.consumer?.stop();
    await this.admin?.disconnect().catch(() => undefined);
  }

  /** Runs the clock once at the clock's time (the time-based rules and forecasts). */
  async tick(): Promise<TickOutcome> {
    const tick = new ClockTick(
      this.writer,
      this.target,
      this.settings.alertPolicy ?? DEFAULT_ALERT_POLICY,
    );
    const now = this.clock.now();
    if (Number.isNaN(now)) return 'current';
    const outcome = await tick.run(now);
    this.metrics.tick(outcome);
    return outcome;
  }

  /** Publishes the alert events waiting in the outbox. */
  async publishAlerts(): Promise<number> {
    return new AlertPublisher(this.writer, this.deps.producer, this.settings.topics.alerts).drain();
  }

  /** The clock only runs on a complete picture: far behind, rules would fire on missing facts. */
  private async tickWhenCaughtUp(): Promise<void> {
    if (this.status.ready) await this.tick();
  }

  private every(ms: number, work: () => Promise<unknown>): void {
    let running = false;
    const timer = setInterval(() => {
      if (running || this.stopped) return;
      running = true;
      work()
        .catch((error: unknown) =>
          this.deps.logger.warn({ err: error }, 'projection background work failed'),
        )
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}

async function earliestOffset(admin: Admin, topic: string, partition: number): Promise<string> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.find((entry) => entry.partition === partition)?.low ?? '0';
}

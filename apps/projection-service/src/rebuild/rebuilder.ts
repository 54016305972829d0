import type { DeadLetterPublisher } from '@tracker/kafka';
import { ReadModelWriter } from '@tracker/read-model';
import type Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { AlertPolicy, DEFAULT_ALERT_POLICY } from '../alerts/alert-rules';
import { BatchApplier, EpochTarget, offsetField } from '../apply/batch-applier';
import { Clock, SYSTEM_CLOCK } from '../clock/clock';
import { ClockTick } from '../clock/clock-tick';
import { ProjectionConsumer } from '../consumer/projection-consumer';
import { inputTopics, ProjectionTopics } from '../consumer/projection-topics';
import { ProjectionMetrics } from '../metrics/projection.metrics';

export interface RebuildSettings {
  readonly groupId: string;
  readonly topics: ProjectionTopics;
  readonly namespace: string;
  readonly alertPolicy?: AlertPolicy;
  /** Keep the previous epoch's keys (for comparing); by default they are deleted. */
  readonly keepPrevious?: boolean;
  readonly pollMs?: number;
  /** Kafka session timeout of the rebuild's group member, as the projection's. */
  readonly sessionTimeoutMs?: number;
}

export interface RebuildResult {
  readonly epoch: string;
  readonly previous?: string;
  readonly partitions: number;
  readonly seconds: number;
}

/**
 * Rebuilds the read model from Kafka: replays every input topic from its beginning into a fresh
 * epoch (its own key space, invisible to readers and with no change stream while it fills),
 * up to the log ends seen when it started; carries the open alerts over (the memory their
 * hysteresis needs), runs the clock once, then makes the new epoch current in one atomic step.
 * Live projections notice on their next step and continue in the new epoch from its offsets;
 * readers holding cursors of the old epoch get a reset.
 */
export class Rebuilder {
  constructor(
    private readonly deps: {
      kafka: Kafka;
      redis: Redis;
      deadLetters: DeadLetterPublisher;
      logger: Logger;
      clock?: Clock;
    },
    private readonly settings: RebuildSettings,
  ) {}

  async run(): Promise<RebuildResult> {
    const started = Date.now();
    const writer = new ReadModelWriter(this.deps.redis, { namespace: this.settings.namespace });
    const epoch = await writer.beginBuild();
    const target: EpochTarget = { epoch, live: false };
    const admin = this.deps.kafka.admin();
    await admin.connect();
    let consumer: ProjectionConsumer | undefined;
    try {
      const ends = new Map<string, bigint>();
      for (const topic of inputTopics(this.settings.topics)) {
        for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
          if (BigInt(high) > BigInt(low)) ends.set(offsetField(topic, partition), BigInt(high));
        }
      }
      const applier = new BatchApplier(
        writer,
        target,
        async (topic, partition) =>
          (await admin.fetchTopicOffsets(topic)).find((entry) => entry.partition === partition)
            ?.low ?? '0',
        { emit: false },
      );
      consumer = new ProjectionConsumer(
        this.deps.kafka,
        applier,
        this.deps.deadLetters,
        new ProjectionMetrics(),
        this.deps.logger,
        {
          groupId: `${this.settings.groupId}-rebuild-${epoch}`,
          topics: this.settings.topics,
          partitionsConsumedConcurrently: 4,
          sessionTimeoutMs: this.settings.sessionTimeoutMs,
        },
      );
      await consumer.start();
      await this.until(async () => {
        const stored = await writer.offsets(epoch);
        return [...ends].every(([field, end]) => BigInt(stored.get(field) ?? '0') >= end);
      });
      await consumer.stop();
      consumer = undefined;
      const current = await writer.currentEpoch();
      if (current !== null) {
        await writer.copyAlerts(current, epoch);
        await writer.copyTickLog(current, epoch);
      }
      const clock = this.deps.clock ?? SYSTEM_CLOCK;
      await new ClockTick(writer, target, this.settings.alertPolicy ?? DEFAULT_ALERT_POLICY, {
        emit: false,
      }).run(clock.now());
      const previous = await writer.switchTo(epoch);
      if (previous !== undefined && !this.settings.keepPrevious) await writer.dropEpoch(previous);
      return { epoch, previous, partitions: ends.size, seconds: (Date.now() - started) / 1000 };
    } catch (error) {
      await consumer?.stop();
      await writer.dropEpoch(epoch);
      throw error;
    } finally {
      await admin.disconnect();
    }
  }

  private async until(done: () => Promise<boolean>): Promise<void> {
    while (!(await done()))
      await new Promise((resolve) => setTimeout(resolve, this.settings.pollMs ?? 200));
  }
}

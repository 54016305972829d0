import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { parseMessage } from '@tracker/contracts';
import { groupTiming } from '@tracker/kafka';
import { KeySpace, TickLogEntry } from '@tracker/read-model';
import type Redis from 'ioredis';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { canonicalTopic, inputTopics, ProjectionTopics } from '../consumer/projection-topics';
import { SourcedRecord, TimeTravel } from './time-travel';

export interface FollowerSettings {
  /** Prefix of the consumer group; each process reads with a group of its own. */
  readonly groupPrefix: string;
  readonly topics: ProjectionTopics;
  readonly namespace: string;
  /** How often the projection's tick log and offsets are looked at while idle. */
  readonly pollMs?: number;
  readonly sessionTimeoutMs?: number;
}

/** How long a query waits for the log to be read as far as the projection has applied it. */
const SYNC_TIMEOUT_MS = 5_000;
/** Event-time checkpoints built between two turns of the event loop while catching up. */
const CHECKPOINTS_PER_TURN = 1;

/**
 * Feeds the time-travel engine: reads every input topic of the projection from its beginning
 * (a consumer group of its own that commits nothing — positions are the engine's) and keeps
 * following them, and looks at the projection's tick log and stored offsets in Redis. The
 * engine's work runs in small steps between turns of the event loop, so heartbeats and HTTP
 * probes keep being answered while a large log is folded.
 */
export class LogFollower {
  private consumer?: Consumer;
  /** Per source: the log end when the follower started (caught up once read to there). */
  private startEnds?: Map<string, number>;
  private caughtUp = false;
  private working?: Promise<void>;
  private dirty = false;
  private timer?: NodeJS.Timeout;
  private readonly keys: KeySpace;
  /** The projection's stored offsets at the latest look. */
  private applied = new Map<string, number>();

  constructor(
    private readonly kafka: Kafka,
    private readonly redis: Redis,
    readonly engine: TimeTravel,
    private readonly logger: Logger,
    private readonly settings: FollowerSettings,
  ) {
    this.keys = new KeySpace(redis, settings.namespace);
  }

  /** What `/health/ready` shows: ready once the log is read to its ends seen at start. */
  get status(): { ready: boolean; records: number; caughtUp: boolean } {
    return { ready: this.engine.ready, records: this.engine.size, caughtUp: this.caughtUp };
  }

  async start(): Promise<void> {
    this.startEnds = await this.logEnds();
    const consumer = this.kafka.consumer({
      groupId: `${this.settings.groupPrefix}.time-travel.${randomBytes(6).toString('hex')}`,
      ...groupTiming(this.settings.sessionTimeoutMs),
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: inputTopics(this.settings.topics), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    await this.look();
    this.schedule();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.working;
  }

  /**
   * Before a query: the projection's tick log and offsets read now, and the log read at least
   * as far as the projection has applied it, so the answer knows everything the tracker showed.
   */
  async sync(): Promise<boolean> {
    await this.look();
    const deadline = Date.now() + SYNC_TIMEOUT_MS;
    while (!this.readUpTo(this.applied)) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await this.work();
    return true;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.look()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'tick log not read'))
        .finally(() => {
          if (this.timer !== undefined) this.schedule();
        });
    }, this.settings.pollMs ?? 1000);
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const topic = canonicalTopic(this.settings.topics, batch.topic);
    const source = `${batch.topic}:${batch.partition}`;
    const records: SourcedRecord[] = [];
    for (const message of batch.messages) {
      const parsed = parseMessage(topic, message);
      // Poison is the projection's to dead-letter; here it is skipped like the projection does.
      if (parsed.ok)
        records.push({
          event: parsed.event,
          recordedMs: Number(message.timestamp),
          source,
          offset: Number(message.offset),
        });
    }
    if (batch.messages.length > 0)
      this.engine.addRecords(source, records, Number(batch.lastOffset()) + 1);
    await this.work();
    await payload.heartbeat();
  }

  /** One look at the tick log (entries after the last seen) and the stored offsets, atomically. */
  private async look(): Promise<void> {
    const epoch = await this.redis.get(this.keys.epochKey);
    if (epoch === null) return;
    const reply = await this.redis
      .multi()
      .zrange(this.keys.tickLogKey(epoch), 0, -1)
      .hgetall(`${this.keys.epochPrefix(epoch)}off`)
      .exec();
    const [[, members], [, offsets]] = reply as [[null, string[]], [null, Record<string, string>]];
    this.applied = new Map(Object.entries(offsets).map(([field, next]) => [field, Number(next)]));
    this.engine.addTicks(
      members.map((member) => JSON.parse(member) as TickLogEntry),
      this.applied,
    );
    await this.work();
  }

  /**
   * Runs the engine until it has nothing left to do, one small step per turn of the event loop,
   * one run at a time; a call during a run makes it go round once more.
   */
  private work(): Promise<void> {
    this.dirty = true;
    this.working ??= this.run();
    return this.working;
  }

  private async run(): Promise<void> {
    // First a turn, so that `working` is set before the loop can end and clear it.
    await Promise.resolve();
    try {
      while (this.dirty) {
        this.dirty = false;
        this.caughtUp ||= this.readUpTo(this.startEnds ?? new Map());
        while (this.engine.advance(this.caughtUp, CHECKPOINTS_PER_TURN)) await yieldToEventLoop();
      }
    } finally {
      this.working = undefined;
    }
  }

  private readUpTo(ends: ReadonlyMap<string, number>): boolean {
    return [...ends].every(([source, end]) => this.engine.position(source) >= end);
  }

  private async logEnds(): Promise<Map<string, number>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = new Map<string, number>();
      for (const topic of inputTopics(this.settings.topics)) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic))
          ends.set(`${topic}:${partition}`, Number(high));
      }
      return ends;
    } finally {
      await admin.disconnect();
    }
  }
}

import { randomBytes } from 'node:crypto';
import { Consumer, Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { waitFor } from '@tracker/runtime';

/** A message seen on a topic. */
export interface SeenMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
  /** The value parsed as JSON, when it is JSON. */
  readonly json: Record<string, unknown> | undefined;
}

function toSeen(topic: string, partition: number, message: KafkaMessage): SeenMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = value.toString();
  }
  let json: Record<string, unknown> | undefined;
  try {
    json = message.value
      ? (JSON.parse(message.value.toString()) as Record<string, unknown>)
      : undefined;
  } catch {
    json = undefined;
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString(),
    value: message.value,
    headers,
    json,
  };
}

/**
 * Reads topics from the beginning in a group of its own and keeps every message once, so a test
 * can wait for the events it caused (filter by key or subject: topics are shared by the run). A
 * message the group hands out again (after a rejoin on a loaded machine, from its last committed
 * offset) is kept once: two entries in `seen` are two records in the log, never one read twice.
 */
export class TopicWatcher {
  readonly seen: SeenMessage[] = [];
  private readonly positions = new Set<string>();

  private constructor(private readonly consumer: Consumer) {}

  /**
   * `topicPrefix`: the suite's `KAFKA_TOPIC_PREFIX`; the watcher reads the prefixed topics and
   * names each message's topic without it, as the contracts name it.
   */
  static async start(
    topics: readonly string[],
    brokers = process.env.KAFKA_BROKERS,
    topicPrefix = '',
  ): Promise<TopicWatcher> {
    if (!brokers)
      throw new Error('KAFKA_BROKERS is not set (the integration global setup sets it)');
    const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `watch-${randomBytes(5).toString('hex')}` });
    const watcher = new TopicWatcher(consumer);
    const admin = kafka.admin();
    await admin.connect();
    const physical = topics.map((topic) => `${topicPrefix}${topic}`);
    await admin.createTopics({ topics: physical.map((topic) => ({ topic, numPartitions: 6 })) });
    await admin.disconnect();
    await consumer.connect();
    await consumer.subscribe({ topics: physical, fromBeginning: true });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
    });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const position = `${topic}/${partition}/${message.offset}`;
        if (watcher.positions.has(position)) return;
        watcher.positions.add(position);
        watcher.seen.push(toSeen(topic.slice(topicPrefix.length), partition, message));
      },
    });
    await waitFor('the topic watcher to join its group', () => joined);
    return watcher;
  }

  /** Messages whose key is `key` (on any watched topic). */
  withKey(key: string): SeenMessage[] {
    return this.seen.filter((message) => message.key === key);
  }

  /** Waits until `predicate` holds of the messages seen so far; returns what matched. */
  async waitFor(
    description: string,
    predicate: (message: SeenMessage) => boolean,
    count = 1,
    timeoutMs = 10_000,
  ): Promise<SeenMessage[]> {
    return waitFor(
      description,
      () => {
        const matching = this.seen.filter(predicate);
        return matching.length >= count && matching;
      },
      { timeoutMs },
    );
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

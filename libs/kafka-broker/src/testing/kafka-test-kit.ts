import {
  Kafka,
  logLevel,
  type Admin,
  type Consumer,
  type ConsumerConfig,
  type KafkaConfig,
  type Producer,
  type ProducerConfig,
  type RetryOptions,
} from 'kafkajs';
import { uniqueName } from '@tracker/testing';

/** Retries short enough that a test fails in seconds, long enough to ride out a rebalance. */
export const TEST_RETRY: RetryOptions = { initialRetryTime: 100, maxRetryTime: 1000, retries: 8 };

/**
 * Consumer settings that keep rebalances fast: kafkajs heartbeats (and so notices a rebalance)
 * only between fetches, so a short fetch wait and heartbeat interval bound how long a join takes.
 */
export const FAST_CONSUMER = {
  sessionTimeout: 10_000,
  rebalanceTimeout: 10_000,
  heartbeatInterval: 300,
  maxWaitTimeInMs: 200,
  retry: TEST_RETRY,
} satisfies Omit<ConsumerConfig, 'groupId'>;

type Client = Producer | Consumer | Admin;

/**
 * kafkajs clients for one suite, silent and with short retries, that all go away with
 * {@link KafkaTestKit.disconnectAll}.
 */
export class KafkaTestKit {
  readonly kafka: Kafka;
  private readonly clients = new Set<Client>();

  constructor(brokers: string[], config: Partial<KafkaConfig> = {}) {
    this.kafka = new Kafka({
      clientId: uniqueName('conformance'),
      brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      retry: TEST_RETRY,
      ...config,
    });
  }

  producer(config: ProducerConfig = {}): Producer {
    return this.track(this.kafka.producer({ retry: TEST_RETRY, ...config }));
  }

  consumer(config: ConsumerConfig): Consumer {
    return this.track(this.kafka.consumer({ ...FAST_CONSUMER, ...config }));
  }

  admin(): Admin {
    return this.track(this.kafka.admin({ retry: TEST_RETRY }));
  }

  /** Disconnects one client now (a consumer leaves its group) and forgets it. */
  async disconnect(client: Client): Promise<void> {
    this.clients.delete(client);
    await client.disconnect();
  }

  async disconnectAll(): Promise<void> {
    const clients = [...this.clients];
    this.clients.clear();
    await Promise.allSettled(clients.map((client) => client.disconnect()));
  }

  private track<T extends Client>(client: T): T {
    this.clients.add(client);
    return client;
  }
}

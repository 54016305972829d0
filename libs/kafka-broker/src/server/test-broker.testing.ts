import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import type { BrokerOptions } from './broker-options';
import { startBroker, type RunningBroker } from './start-broker';

/**
 * Test-only: a broker on an OS-picked port with its own temporary data directory, plus kafkajs
 * clients pointed at it. `dispose()` disconnects nothing by itself: suites disconnect their
 * clients first, then dispose, which stops the broker and removes the directory.
 */
export class TestBroker {
  private constructor(
    readonly broker: RunningBroker,
    readonly dataDir: string,
  ) {}

  static async start(options: Partial<BrokerOptions> = {}): Promise<TestBroker> {
    const dataDir = await mkdtemp(join(tmpdir(), 'kafka-broker-server-'));
    try {
      const broker = await startBroker({ port: 0, fsync: 'never', ...options, dataDir });
      return new TestBroker(broker, dataDir);
    } catch (error) {
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  get port(): number {
    return this.broker.port;
  }

  /** A kafkajs client with fast retries and no log noise. */
  kafka(clientId: string, config: Partial<KafkaConfig> = {}): Kafka {
    return new Kafka({
      clientId,
      brokers: this.broker.brokers,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 50, retries: 5 },
      ...config,
    });
  }

  async dispose(): Promise<void> {
    try {
      await this.broker.stop();
    } finally {
      await rm(this.dataDir, { recursive: true, force: true });
    }
  }
}

let sequence = 0;

/** A topic or group name no other test uses. */
export function uniqueName(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
}

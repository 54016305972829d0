import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerOptions } from '../server/broker-options';
import { startBroker, type RunningBroker } from '../server/start-broker';

/**
 * An in-process broker on a free port with a fresh data directory of its own. Defaults suit
 * tests: no initial rebalance delay and no fsync (a test never needs power-loss durability).
 */
export class TestBroker {
  private constructor(
    private running: RunningBroker | null,
    private readonly options: BrokerOptions,
  ) {}

  static async start(options: Partial<BrokerOptions> = {}): Promise<TestBroker> {
    const dataDir = await mkdtemp(join(tmpdir(), 'kafka-broker-conformance-'));
    const resolved: BrokerOptions = {
      port: 0,
      host: '127.0.0.1',
      initialRebalanceDelayMs: 0,
      fsync: 'never',
      ...options,
      dataDir,
    };
    try {
      return new TestBroker(await startBroker(resolved), resolved);
    } catch (error) {
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  get brokers(): string[] {
    return this.current().brokers;
  }

  get port(): number {
    return this.current().port;
  }

  /** Fetch requests the broker holds parked right now (see `RunningBroker.parkedFetches`). */
  get parkedFetches(): number {
    return this.current().parkedFetches;
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  /** Stops the broker and starts a new one on the same port and data directory. */
  async restart(): Promise<void> {
    const port = this.port;
    await this.current().stop();
    this.running = null;
    this.running = await startBroker({ ...this.options, port });
  }

  /** Stops the broker (if running) and removes its data directory. */
  async dispose(): Promise<void> {
    const running = this.running;
    this.running = null;
    try {
      await running?.stop();
    } finally {
      await rm(this.options.dataDir, { recursive: true, force: true });
    }
  }

  private current(): RunningBroker {
    if (!this.running) throw new Error('the test broker is not running');
    return this.running;
  }
}

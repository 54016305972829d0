import type { BrokerOptions } from '../server/broker-options';
import { KafkaTestKit } from './kafka-test-kit';
import { TestBroker } from './test-broker';

/** What a spec using {@link useTestBroker} reaches through; valid inside tests and hooks only. */
export interface TestBrokerSuite {
  readonly broker: TestBroker;
  /** kafkajs clients for the current broker; all are disconnected after the suite (or test). */
  readonly kit: KafkaTestKit;
  /** Disconnects every client, restarts the broker on its port and data, and renews `kit`. */
  restartBroker(): Promise<void>;
}

/**
 * Registers hooks that start an in-process {@link TestBroker} with a {@link KafkaTestKit} on it,
 * once for the suite or afresh for every test, and disconnect and dispose of both afterwards.
 */
export function useTestBroker(
  options: Partial<BrokerOptions> = {},
  lifetime: 'suite' | 'test' = 'suite',
): TestBrokerSuite {
  let broker: TestBroker | undefined;
  let kit: KafkaTestKit | undefined;
  const setUp = lifetime === 'suite' ? beforeAll : beforeEach;
  const tearDown = lifetime === 'suite' ? afterAll : afterEach;

  setUp(async () => {
    broker = await TestBroker.start(options);
    kit = new KafkaTestKit(broker.brokers);
  });

  tearDown(async () => {
    await kit?.disconnectAll();
    await broker?.dispose();
    kit = undefined;
    broker = undefined;
  });

  const suite: TestBrokerSuite = {
    get broker() {
      return started(broker, 'broker');
    },
    get kit() {
      return started(kit, 'kafkajs kit');
    },
    async restartBroker() {
      await suite.kit.disconnectAll();
      await suite.broker.restart();
      kit = new KafkaTestKit(suite.broker.brokers);
    },
  };
  return suite;
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the test ${what} exists only while a test runs`);
  return value;
}

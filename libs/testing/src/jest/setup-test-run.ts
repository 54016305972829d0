import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '@tracker/kafka-broker';
import { checkServices } from '../services';
import { testRun } from './test-run';

/**
 * Runs once before the integration project: fails the whole run with a message naming the
 * missing service instead of letting suites skip or time out one by one, then starts one embedded
 * Kafka broker for the run unless `KAFKA_BROKERS` points at one. Workers inherit the variable.
 */
export default async function setupTestRun(): Promise<void> {
  await checkServices();
  if (process.env.KAFKA_BROKERS) return;
  const dataDir = await mkdtemp(join(tmpdir(), 'tracker-test-kafka-'));
  const broker = await startBroker({
    port: 0,
    dataDir,
    initialRebalanceDelayMs: 0,
    fsync: 'never',
  });
  process.env.KAFKA_BROKERS = broker.brokers.join(',');
  testRun.broker = { stop: () => broker.stop(), dataDir };
}

import { rm } from 'node:fs/promises';
import { testRun } from './test-run';

export default async function teardownTestRun(): Promise<void> {
  const broker = testRun.broker;
  if (!broker) return;
  await broker.stop();
  await rm(broker.dataDir, { recursive: true, force: true });
}

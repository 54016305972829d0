/**
 * Child process of the crash test: appends deterministic batches (see `crashTestBatch`) to the
 * partition log in argv[2] with fsync 'always', several in flight, and prints `ack <i> <offset>`
 * for each append once it resolved. It runs until killed.
 */
import { PartitionLog } from '../storage/partition-log';
import { crashTestBatch } from './crash-test-batch';
import { testLogConfig } from './storage.fixture';

const IN_FLIGHT = 4;

async function appendForever(log: PartitionLog, lane: number): Promise<never> {
  for (let i = lane; ; i += IN_FLIGHT) {
    const { baseOffset } = await log.append(await crashTestBatch(i));
    process.stdout.write(`ack ${i} ${baseOffset}\n`);
  }
}

async function main(): Promise<void> {
  const log = await PartitionLog.open({
    dir: process.argv[2],
    config: testLogConfig({ fsync: 'always', segmentBytes: 16 * 1024 }),
  });
  process.stdout.write('ready\n');
  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, lane) => appendForever(log, lane)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

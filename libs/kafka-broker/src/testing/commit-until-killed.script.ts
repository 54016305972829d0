import { OffsetStore } from '../groups/offset-store';

/**
 * Child process of offset-store.int-spec.ts. With fsync 'always', four lanes (one per partition)
 * commit increasing offsets as fast as they can and print `ack <partition> <offset>` after each
 * commit resolves, until the test kills the process with SIGKILL.
 */
const LANES = 4;

async function main(dir: string): Promise<void> {
  const store = await OffsetStore.open(dir, { fsync: 'always' });
  const lane = async (partition: number): Promise<never> => {
    for (let offset = 0; ; offset += 1) {
      await store.commit('crash-test', [
        { topic: 'orders', partition, offset, metadata: `offset ${offset}` },
      ]);
      process.stdout.write(`ack ${partition} ${offset}\n`);
    }
  };
  await Promise.all(Array.from({ length: LANES }, (_, partition) => lane(partition)));
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

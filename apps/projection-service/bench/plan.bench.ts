import { performance } from 'node:perf_hooks';
import { planBatch, RecordedEvent } from '../src/apply/batch-plan';
import { documentsOf } from '../src/apply/routes';
import { MemoryModel } from '../src/time-travel/memory-model';
import { generateScenario } from '../test/scenario';

/**
 * `node -r @swc-node/register apps/projection-service/bench/plan.bench.ts [--events 50000]
 * [--batch 1000]`: the pure batch plan alone (no Kafka, no Redis, no parsing), over the seeded
 * scenario of bench:projection in batches of that size, in the stream's order. A
 * steady figure on a machine shared with other work, to compare changes of the plan with.
 */
function main(): void {
  const argv = process.argv.slice(2);
  const wanted = Number(argv[argv.indexOf('--events') + 1]) || 50_000;
  const size = Number(argv[argv.indexOf('--batch') + 1]) || 1_000;
  const { stream } = generateScenario(2024, { pledges: Math.ceil(wanted / 8.8) });
  const events: RecordedEvent[] = stream.map((event) => ({
    event,
    recordedMs: Date.parse(event.time),
  }));
  const rounds = [1, 2, 3, 4, 5].map(() => planAll(events, size)).sort((x, y) => x - y);
  const rate = (seconds: number) => Math.round(events.length / seconds).toLocaleString('en-GB');
  console.log(
    `${events.length} events: plan ${rate(rounds[2])} events/s (median of 5; best ${rate(rounds[0])})`,
  );
}

/** Seconds spent planning every batch of `events` into a fresh store. */
function planAll(events: readonly RecordedEvent[], size: number): number {
  const store = new MemoryModel();
  let planSeconds = 0;
  for (let at = 0; at < events.length; at += size) {
    const batch = events.slice(at, at + size);
    const loaded = store.load({
      docs: [...new Set(batch.flatMap(({ event }) => documentsOf(event)))],
      events: batch.map(({ event }) => event.id),
      offsets: [],
      aggregates: [],
    });
    const started = performance.now();
    const changes = planBatch(batch, loaded, '');
    planSeconds += (performance.now() - started) / 1000;
    store.apply({ ...changes, feed: [] });
  }
  return planSeconds;
}

main();

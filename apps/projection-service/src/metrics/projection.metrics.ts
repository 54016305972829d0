import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The projection's Prometheus metrics, on a registry of its own (served at `/metrics`): events
 * applied, batches by outcome, consumer lag per partition, apply latency per batch.
 */
export class ProjectionMetrics {
  readonly registry = new Registry();
  private readonly events = new Counter({
    name: 'projection_events_applied_total',
    help: 'Events folded into the read model (duplicates by id not counted)',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  private readonly poison = new Counter({
    name: 'projection_messages_dead_lettered_total',
    help: 'Messages that broke the contracts, sent to the dead-letter topic',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  private readonly batches = new Counter({
    name: 'projection_batches_total',
    help: 'Partition batches by outcome: applied, or fenced (another member or a rebuild moved the partition on)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly lag = new Gauge({
    name: 'projection_consumer_lag',
    help: 'Messages between the last applied offset and the log end, per partition',
    labelNames: ['topic', 'partition'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'projection_batch_apply_seconds',
    help: 'Time to parse, fold and atomically apply one partition batch',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly conflicts = new Counter({
    name: 'projection_step_conflicts_total',
    help: 'Atomic steps refused because another writer changed what they read (folded again)',
    labelNames: ['what'],
    registers: [this.registry],
  });
  private readonly ticks = new Counter({
    name: 'projection_clock_ticks_total',
    help: 'Clock ticks (forecasts and time-based alert rules) by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  applied(
    topic: string,
    partition: number,
    batch: { events: number; poison: number; seconds: number; lag: number },
  ): void {
    this.events.inc({ topic }, batch.events);
    if (batch.poison > 0) this.poison.inc({ topic }, batch.poison);
    this.batches.inc({ outcome: 'applied' });
    this.lag.set({ topic, partition: String(partition) }, batch.lag);
    this.latency.observe(batch.seconds);
  }

  batch(outcome: 'fenced'): void {
    this.batches.inc({ outcome });
  }

  /** `what` is the kind of key (pledge, shipment, asOf, seen…), not the key: labels stay few. */
  conflict(what: string): void {
    this.conflicts.inc({ what: what.split(':')[0] });
  }

  tick(outcome: string): void {
    this.ticks.inc({ outcome });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

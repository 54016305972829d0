import { Inject, Injectable, Optional } from '@nestjs/common';
import { METRICS_REGISTRY } from '@tracker/platform';
import { Counter, Gauge, Registry } from 'prom-client';

/** How a consumed message ended; `retried` counts failed attempts that were tried again. */
export type ConsumerOutcome = 'applied' | 'dead-lettered' | 'retried';

/**
 * What `/metrics` says of the process's consumer runners: messages by outcome, and lag. In a
 * process without the platform's MetricsModule (the projection serves metrics of its own and
 * runs no consumer runner) they are kept in a registry nobody reads.
 */
@Injectable()
export class ConsumerMetrics {
  private readonly messages: Counter<'group' | 'outcome'>;
  private readonly lag: Gauge<'group' | 'topic' | 'partition'>;

  constructor(@Optional() @Inject(METRICS_REGISTRY) registry?: Registry) {
    const registers = [registry ?? new Registry()];
    this.messages = new Counter({
      name: 'tracker_consumer_messages_total',
      help: 'Consumed messages by outcome: applied, dead-lettered, or an attempt retried',
      labelNames: ['group', 'outcome'],
      registers,
    });
    this.lag = new Gauge({
      name: 'tracker_consumer_lag',
      help: 'Messages on the partition after the last one this group applied (at its last batch)',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
  }

  counted(group: string, outcome: ConsumerOutcome, count = 1): void {
    this.messages.inc({ group, outcome }, count);
  }

  lagged(group: string, topic: string, partition: number, lag: number): void {
    this.lag.set({ group, topic, partition: String(partition) }, Math.max(0, lag));
  }
}

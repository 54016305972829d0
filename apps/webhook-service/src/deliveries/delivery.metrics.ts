import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@tracker/platform';
import { Counter, Histogram, Registry } from 'prom-client';

/** How an attempt ended: delivered, failed and to be retried, or failed and parked. */
export type AttemptOutcome = 'delivered' | 'retried' | 'parked';

/** What `/metrics` says of the webhook deliveries. */
@Injectable()
export class DeliveryMetrics {
  private readonly attempts: Counter<'outcome'>;
  private readonly duration: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.attempts = new Counter({
      name: 'tracker_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome: delivered, retried (failed, tried again later), parked',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'tracker_webhook_attempt_seconds',
      help: 'Time from sending a webhook to its answer (or failure)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  attempted(outcome: AttemptOutcome, seconds: number): void {
    this.attempts.inc({ outcome });
    this.duration.observe(seconds);
  }
}

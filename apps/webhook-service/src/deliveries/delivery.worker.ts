import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { PinoLogger } from 'nestjs-pino';
import { afterFailure, RetryPolicy } from './backoff';
import { DeliveryMetrics } from './delivery.metrics';
import { ClaimedDelivery, DeliveryRepository } from './delivery.repository';
import { WebhookSender } from './webhook-sender';

/** How often an idle worker looks for due deliveries (retries come due without a wake-up). */
const POLL_MS = 250;

/**
 * Sends the deliveries: many subscriptions at once (`WEBHOOK_CONCURRENCY`), each subscription's
 * one at a time and in order (only the first pending delivery of a subscription is ever
 * claimed), so a slow or dead endpoint holds up its own queue only. A failed attempt is retried
 * with exponential backoff and full jitter for `WEBHOOK_RETRY_FOR`, then parked.
 *
 * Every step is a committed row in Postgres (the claim's lease, the outcome): a worker killed
 * mid-send loses nothing; its lease runs out and the delivery is sent again, which is why a
 * receiver dedupes on `webhook-id`.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly policy: RetryPolicy;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private running = false;
  private pumping = false;
  private again = false;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly sender: WebhookSender,
    private readonly metrics: DeliveryMetrics,
    private readonly logger: PinoLogger,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const webhooks = config.webhooks;
    this.policy = {
      initialMs: webhooks.backoffInitialMs,
      maxMs: webhooks.backoffMaxMs,
      retryForMs: webhooks.retryForMs,
    };
    // Long enough for an attempt (bounded by the timeout) and the write of its outcome.
    this.leaseMs = 2 * webhooks.timeoutMs + 5_000;
    this.concurrency = webhooks.concurrency;
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.wake();
  }

  /** Looks for due deliveries now (new ones were just committed, or a slot came free). */
  wake(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (this.running && this.inFlight.size < this.concurrency) {
          const now = new Date();
          const claimed = await this.deliveries.claim(
            now,
            new Date(now.getTime() + this.leaseMs),
            this.concurrency - this.inFlight.size,
          );
          if (claimed.length === 0) break;
          for (const delivery of claimed) this.track(this.attempt(delivery));
        }
      } while (this.again && this.running);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not claim deliveries; trying again shortly');
    } finally {
      this.pumping = false;
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      this.wake();
    });
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const startedAt = Date.now();
    const result = await this.sender.send({
      url: delivery.url,
      secret: delivery.secret,
      eventId: delivery.eventId,
      body: delivery.payload,
    });
    const now = new Date();
    const seconds = (now.getTime() - startedAt) / 1000;
    try {
      if (result.delivered) {
        await this.deliveries.delivered(delivery, result.status, now);
        this.metrics.attempted('delivered', seconds);
        return;
      }
      const next = afterFailure(delivery.attempts, delivery.firstAttemptAt, now, this.policy);
      if (next.kind === 'retry') {
        await this.deliveries.retryAt(delivery, next.at, result);
        this.metrics.attempted('retried', seconds);
        return;
      }
      await this.deliveries.park(delivery, now, result);
      this.metrics.attempted('parked', seconds);
      this.logger.warn(
        {
          subscriptionId: delivery.subscriptionId,
          eventId: delivery.eventId,
          attempts: delivery.attempts,
          reason: result.error,
        },
        'webhook delivery parked after retrying for WEBHOOK_RETRY_FOR; its subscription waits for a resume',
      );
    } catch (error) {
      // The lease runs out and the delivery is attempted again: nothing is lost.
      this.logger.warn(
        { subscriptionId: delivery.subscriptionId, eventId: delivery.eventId, err: error },
        'could not record a delivery attempt; it will be attempted again',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }
}

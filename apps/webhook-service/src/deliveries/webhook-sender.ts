import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { CLOUDEVENTS_CONTENT_TYPE } from '@tracker/contracts';
import { Agent, request } from 'undici';
import { EndpointGuard } from '../endpoints/endpoint-guard';
import { signDelivery } from './signing';

/** One webhook to send: the CloudEvent exactly as published, to one subscription's endpoint. */
export interface Webhook {
  readonly url: string;
  readonly secret: string;
  readonly eventId: string;
  readonly body: string;
}

/** How an attempt went: the endpoint's status (2xx: delivered), or why there was none. */
export type Attempt =
  | { readonly delivered: true; readonly status: number }
  | { readonly delivered: false; readonly status?: number; readonly error: string };

/** Longest answer body read (and then dropped) from an endpoint. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs webhooks: CloudEvents in the HTTP binding's structured mode (content-type
 * `application/cloudevents+json`, the event as the body), signed as the Standard Webhooks
 * specification says, each attempt bounded by `WEBHOOK_TIMEOUT`. Redirects are not followed (an
 * answer 3xx is a failure): a redirect could lead where the guard would refuse to go.
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(
    private readonly guard: EndpointGuard,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.timeoutMs = config.webhooks.timeoutMs;
    this.agent = new Agent({
      connect: { lookup: guard.lookup, timeout: this.timeoutMs },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      keepAliveTimeout: 4_000,
      connections: 2,
    });
  }

  async send(webhook: Webhook, now = new Date()): Promise<Attempt> {
    const timestamp = Math.floor(now.getTime() / 1000);
    try {
      // A literal address never goes through lookup: check it on every attempt too.
      this.guard.checkShape(webhook.url);
      const answer = await request(webhook.url, {
        method: 'POST',
        dispatcher: this.agent,
        body: webhook.body,
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': `${CLOUDEVENTS_CONTENT_TYPE}; charset=utf-8`,
          'user-agent': 'pledge-tracker-webhooks/1',
          'webhook-id': webhook.eventId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signDelivery(
            webhook.secret,
            webhook.eventId,
            timestamp,
            webhook.body,
          ),
        },
      });
      await drain(answer.body);
      const status = answer.statusCode;
      if (status >= 200 && status < 300) return { delivered: true, status };
      return { delivered: false, status, error: `answered ${status}` };
    } catch (error) {
      return { delivered: false, error: describe(error) };
    }
  }

  /** Lets the attempts in flight finish (each is bounded by the timeout), then closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

async function drain(body: AsyncIterable<Buffer>): Promise<void> {
  let read = 0;
  for await (const chunk of body) {
    read += chunk.length;
    if (read > MAX_ANSWER_BYTES) break;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return `${error.name === 'TimeoutError' ? 'timed out' : error.message}${detail}`.slice(0, 500);
}

import { ExpressAdapter } from '@nestjs/platform-express';
import type { Written } from '@tracker/outbox';
import type { Response } from 'express';

function isWritten(value: unknown): value is Written<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    'body' in value &&
    'replayed' in value
  );
}

/**
 * Nest's Express adapter, answering a write route's `Written` result with its own status (the
 * first answer's, on a replay) and `Idempotent-Replayed: true` when it was replayed; any other
 * result as Nest does.
 *
 * This was a global interceptor. Any interceptor makes Nest run every request of every route
 * through an rxjs pipeline and bind two AsyncResources (each binding also defines a deprecated
 * property getter), a few per cent of a service's CPU under `bench:ingest`; the adapter's `reply`,
 * which sends every result anyway, does the same for nothing.
 */
export class WrittenExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (!isWritten(body)) return super.reply(response, body, statusCode);
    response.status(body.status);
    if (body.replayed) response.setHeader('Idempotent-Replayed', 'true');
    return super.reply(response, body.body);
  }
}

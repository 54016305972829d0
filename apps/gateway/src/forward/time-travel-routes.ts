import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { AppConfig } from '@tracker/config';
import { Pool } from 'undici';
import { pass, UPSTREAM_TIMEOUT_MS } from './forwarding';

/** The live reads that time travel answers at a time (the gateway's own reads otherwise). */
const TIME_TRAVEL_PATHS = [
  /^\/v1\/overview$/,
  /^\/v1\/donors\/[^/]+$/,
  /^\/v1\/items\/[^/]+$/,
  /^\/v1\/pledges\/[^/]+\/live$/,
];

/** A read at a time: a GET of one of those reads whose query names `asOf` or `knownAt`. */
export function isTimeTravel(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const { pathname, searchParams } = new URL(url, 'http://gateway');
  return (
    TIME_TRAVEL_PATHS.some((path) => path.test(pathname)) &&
    (searchParams.has('asOf') || searchParams.has('knownAt'))
  );
}

/**
 * Forwards reads at a time to projection-service's time-travel process (`TIME_TRAVEL_URL`),
 * which authenticates, validates the query (422) and scopes the answer like the live read; the
 * same reads without `asOf` or `knownAt` stay the gateway's own.
 */
export function forwardTimeTravel(app: INestApplication, config: AppConfig): void {
  const pool = new Pool(config.upstreams['time-travel'], {
    connections: 64,
    headersTimeout: UPSTREAM_TIMEOUT_MS,
    bodyTimeout: UPSTREAM_TIMEOUT_MS,
  });
  app.use((request: IncomingMessage, response: ServerResponse, next: () => void) => {
    if (!isTimeTravel(request.method ?? 'GET', request.url ?? '/')) {
      next();
      return;
    }
    void pass(pool, 'time-travel', request, response);
  });
  const server = app.getHttpServer() as Server;
  server.on('close', () => void pool.close());
}

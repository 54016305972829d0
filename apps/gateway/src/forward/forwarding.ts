import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { AppConfig } from '@tracker/config';
import { problem, PROBLEM_CONTENT_TYPE } from '@tracker/http';
import { Pool } from 'undici';
import { ownerOf, WRITE_SERVICES, WriteService } from './write-routes';

const REQUEST_ID = /^[\x21-\x7E]{1,128}$/;

/** How long a service may take to start answering, and between two chunks of its answer. */
export const UPSTREAM_TIMEOUT_MS = 30_000;

/**
 * Headers that belong to one connection, not to the request or answer (RFC 9110 §7.6.1); each
 * hop sets its own.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/**
 * Forwards every route a write service owns, streaming both ways over kept-alive connections
 * (undici): status, body and headers pass through untouched — `Authorization` and
 * `Idempotency-Key` to the service, `Retry-After` and problem+json back — so users need one base
 * URL. The service authenticates and authorises; the gateway adds a request id when the caller
 * sent none, and `X-Forwarded-For`/`-Proto`/`-Host` so the service counts failures by client. A
 * service that does not answer is a 502 problem.
 */
export function forwardWrites(app: INestApplication, config: AppConfig): void {
  const pools = new Map<WriteService, Pool>(
    WRITE_SERVICES.map((service) => [
      service,
      new Pool(config.upstreams[service], {
        connections: 256,
        headersTimeout: UPSTREAM_TIMEOUT_MS,
        bodyTimeout: UPSTREAM_TIMEOUT_MS,
      }),
    ]),
  );
  const forward = (request: IncomingMessage, response: ServerResponse, next: () => void) => {
    const owner = ownerOf(request.url ?? '/');
    if (owner === undefined) {
      next();
      return;
    }
    if (refusedForSize(request, response)) return;
    void pass(pools.get(owner)!, owner, request, response);
  };
  app.use(forward);
  const server = app.getHttpServer() as Server;
  server.on('close', () => void Promise.all([...pools.values()].map((pool) => pool.close())));
}

/** Forwards one request to `owner` through `pool` and streams its answer back (502 if none). */
export async function pass(
  pool: Pool,
  owner: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', id);
  const abort = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) abort.abort();
  });
  const method = request.method ?? 'GET';
  try {
    await pool.stream(
      {
        path: request.url ?? '/',
        method,
        headers: { ...forwardedHeaders(request), 'x-request-id': id },
        body: method === 'GET' || method === 'HEAD' ? null : request,
        signal: abort.signal,
      },
      ({ statusCode, headers }) => {
        response.writeHead(statusCode, endToEnd(headers));
        return response;
      },
    );
  } catch (error) {
    if (abort.signal.aborted) return;
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    const body = problem(502, 'upstream-unavailable', `${owner} did not answer: ${reason}`, {
      instance: request.url,
    });
    response.writeHead(502, { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Retry-After': '1' });
    response.end(JSON.stringify(body));
  }
}

/** The request's end-to-end headers, and where it came from (the de-facto X-Forwarded-* set). */
function forwardedHeaders(request: IncomingMessage): Record<string, string | string[]> {
  const headers = endToEnd(request.headers);
  const peer = request.socket.remoteAddress ?? '';
  const earlier = request.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = earlier ? `${String(earlier)}, ${peer}` : peer;
  headers['x-forwarded-proto'] ??= 'http';
  if (request.headers.host !== undefined) headers['x-forwarded-host'] ??= request.headers.host;
  return headers;
}

function endToEnd(
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) kept[name] = value;
  }
  return kept;
}

/** The services' body limit (libs/http), enforced before forwarding. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * A body the services would refuse for its size is refused here, 413, before any of it is
 * forwarded: a service that answers before it has read the whole body closes the connection
 * under the forwarder, which would otherwise surface as a 502.
 */
function refusedForSize(request: IncomingMessage, response: ServerResponse): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  if (!(length > BODY_LIMIT_BYTES)) return false;
  const body = problem(413, 'body-too-large', 'The request body is over the 1 MiB limit', {
    instance: request.url,
  });
  response.writeHead(413, { 'Content-Type': PROBLEM_CONTENT_TYPE, Connection: 'close' });
  response.end(JSON.stringify(body));
  request.resume();
  return true;
}

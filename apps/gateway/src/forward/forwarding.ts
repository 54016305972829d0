import { randomUUID } from 'node:crypto';
import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { AppConfig } from '@tracker/config';
import { problem, PROBLEM_CONTENT_TYPE } from '@tracker/http';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { ownerOf } from './write-routes';

const REQUEST_ID = /^[\x21-\x7E]{1,128}$/;

/**
 * Forwards every route a write service owns (http-proxy-middleware, streaming both ways): status,
 * body and headers pass through untouched — `Authorization` and `Idempotency-Key` to the service,
 * `Retry-After` and problem+json back — so users need one base URL. The service authenticates
 * and authorises; the gateway adds a request id when the caller sent none. A service that does
 * not answer is a 502 problem.
 */
export function forwardWrites(app: INestApplication, config: AppConfig): void {
  // Connections to the services are kept and reused: a new TCP connection per forwarded
  // request would cost more than the request itself.
  const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  const proxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
    agent,
    pathFilter: (path) => ownerOf(path) !== undefined,
    router: (request) => config.upstreams[ownerOf(request.url ?? '/')!],
    changeOrigin: false,
    xfwd: true,
    proxyTimeout: 30_000,
    on: {
      proxyReq: (proxyRequest, request, response) => {
        const given = request.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        proxyRequest.setHeader('X-Request-Id', id);
        response.setHeader('X-Request-Id', id);
      },
      error: (error, request, response) => {
        if (!('setHeader' in response) || response.headersSent) {
          response.destroy();
          return;
        }
        const owner = ownerOf(request.url ?? '/') ?? 'upstream';
        const body = problem(
          502,
          'upstream-unavailable',
          `${owner} did not answer: ${error.message}`,
          {
            instance: request.url,
          },
        );
        response.writeHead(502, { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Retry-After': '1' });
        response.end(JSON.stringify(body));
      },
    },
  });
  app.use(refuseOversizedWrites);
  app.use(proxy);
}

/** The services' body limit (libs/http), enforced before forwarding. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * A body the services would refuse for its size is refused here, 413, before any of it is
 * forwarded: a service that answers before it has read the whole body closes the connection
 * under the proxy, which would otherwise surface as a 502.
 */
function refuseOversizedWrites(
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
): void {
  const length = Number(request.headers['content-length'] ?? 0);
  if (ownerOf(request.url ?? '/') === undefined || !(length > BODY_LIMIT_BYTES)) {
    next();
    return;
  }
  const body = problem(413, 'body-too-large', 'The request body is over the 1 MiB limit', {
    instance: request.url,
  });
  response.writeHead(413, { 'Content-Type': PROBLEM_CONTENT_TYPE, Connection: 'close' });
  response.end(JSON.stringify(body));
  request.resume();
}

import type { INestApplication } from '@nestjs/common';
import type { RequestHandler } from 'express';

/** Directives of every page we serve: our own origin only, never framed, no plugins. */
const BASE = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

function header(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/**
 * The dashboard's policy: scripts and styles from its own build only; Socket.IO connects to the
 * same origin over WebSocket, which browsers before CSP Level 3 do not count as `'self'`.
 */
export const DASHBOARD_CSP = header({
  ...BASE,
  'style-src': ["'self'"],
  'connect-src': ["'self'", 'ws:', 'wss:'],
});

/**
 * The Swagger UI's policy: its page carries its layout in inline `<style>` blocks, so styles
 * may be inline; scripts may not (it has none inline), and it fetches only our documents.
 */
export const DOCS_CSP = header({ ...BASE, 'style-src': ["'self'", "'unsafe-inline'"] });

/** Middleware setting `Content-Security-Policy: policy` on every response it sees. */
export function contentSecurityPolicy(policy: string): RequestHandler {
  return (_request, response, next) => {
    response.setHeader('Content-Security-Policy', policy);
    next();
  };
}

/** Puts {@link DOCS_CSP} on `/docs` and below; call before `SwaggerModule.setup('docs', …)`. */
export function protectDocs(app: INestApplication): void {
  app.use('/docs', contentSecurityPolicy(DOCS_CSP));
}

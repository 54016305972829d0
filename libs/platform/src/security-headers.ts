import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { HelmetOptions } from 'helmet';

/** helmet's options for every service: CSP is per page instead (libs/http content-security.ts). */
const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: false,
  crossOriginEmbedderPolicy: false,
};

/**
 * The headers helmet sets with {@link HELMET_OPTIONS}, found once by running it on a response
 * that records them. helmet's answer depends on neither the request nor the response, so every
 * response can get the same list without helmet's thirteen middlewares running per request.
 */
export function helmetHeaders(options: HelmetOptions = HELMET_OPTIONS): [string, string][] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let outcome: unknown = 'unfinished';
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      outcome = error;
    },
  );
  if (outcome !== undefined) throw new Error('helmet did not set its headers', { cause: outcome });
  return [...headers];
}

/** Middleware setting {@link helmetHeaders} on every response. */
export function securityHeaders() {
  const headers = helmetHeaders();
  return (_request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}

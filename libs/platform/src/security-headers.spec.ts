import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { helmetHeaders, securityHeaders } from './security-headers';

/** What a middleware sets on a response, by header name. */
function headersSetBy(
  middleware: (request: IncomingMessage, response: ServerResponse, next: () => void) => void,
): Map<string, string> {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  } as unknown as ServerResponse;
  middleware({} as IncomingMessage, response, () => undefined);
  return headers;
}

describe(helmetHeaders.name, () => {
  it('is what helmet sets, without a Content-Security-Policy', () => {
    const options = { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false } as const;
    expect(new Map(helmetHeaders())).toEqual(headersSetBy(helmet(options)));
    expect(new Map(helmetHeaders()).get('X-Content-Type-Options')).toBe('nosniff');
    expect(new Map(helmetHeaders()).has('Content-Security-Policy')).toBe(false);
  });

  it('is set on every response by securityHeaders', () => {
    expect(headersSetBy(securityHeaders())).toEqual(new Map(helmetHeaders()));
  });
});

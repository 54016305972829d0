// Every route of every service declares who may call it (`@Public()`, `@Roles(...)` or
// `@Reads(...)` of @tracker/http, the operation's `x-access` in the OpenAPI document): a route
// without one is refused at run time, and this walk names it before it ships. Likewise every kind
// of /live channel declares the data classes it carries (`x-access` of the AsyncAPI channel).
import { ACCESS_EXTENSION } from '@tracker/http';
import { CHANNEL_KINDS } from '@tracker/read-model';
import request from 'supertest';
import { startWriteStack, WriteStack } from './write-stack';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface OpenApi {
  readonly paths: Record<string, Partial<Record<string, Record<string, unknown>>>>;
}

/** Every operation of a document, as `METHOD /path`, with its `x-access` (undefined when none). */
function operations(document: OpenApi): { operation: string; access: unknown }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => ({
      operation: `${method.toUpperCase()} ${path}`,
      access: item[method]?.[ACCESS_EXTENSION],
    })),
  );
}

/** Whether `access` has the shape of a RouteAccess of @tracker/http. */
function isRouteAccess(access: unknown): boolean {
  if (typeof access !== 'object' || access === null) return false;
  const declared = access as { public?: unknown; roles?: unknown; sees?: unknown };
  if (declared.public === true) return true;
  if (declared.roles === 'any') return Array.isArray(declared.sees) && declared.sees.length > 0;
  return Array.isArray(declared.roles) && declared.roles.length > 0;
}

describe('every route declares its access', () => {
  let stack: WriteStack;

  beforeAll(async () => {
    stack = await startWriteStack('access_doc');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const documents: [string, () => [string, string]][] = [
    ['pledge-service', () => [stack.services['pledge-service'].url, '/docs/json']],
    ['production-service', () => [stack.services['production-service'].url, '/docs/json']],
    ['shipment-service', () => [stack.services['shipment-service'].url, '/docs/json']],
    ['webhook-service', () => [stack.services['webhook-service'].url, '/docs/json']],
    ["the gateway's own routes", () => [stack.gateway.url, '/docs/gateway.json']],
    ["the gateway's merged document", () => [stack.gateway.url, '/docs/openapi.json']],
  ];

  it.each(documents)('%s: every operation has x-access', async (_name, where) => {
    const [url, path] = where();
    const response = await request(url).get(path).expect(200);
    const document = response.body as OpenApi & { 'x-unavailable'?: unknown };
    expect(document['x-unavailable']).toBeUndefined();
    const found = operations(document);
    expect(found.filter(({ operation }) => operation.includes(' /v1/')).length).toBeGreaterThan(0);
    const undeclared = found.filter(({ access }) => !isRouteAccess(access));
    expect(undeclared.map(({ operation }) => operation)).toEqual([]);
  });

  it('declares every read as Reads (any token, answer scoped) and every write as Roles', async () => {
    const response = await request(stack.gateway.url).get('/docs/openapi.json').expect(200);
    const routes = operations(response.body as OpenApi).filter(({ operation }) =>
      operation.includes(' /v1/'),
    );
    const misdeclared = routes.filter(({ operation, access }) => {
      const declared = (access ?? {}) as { roles?: unknown };
      return operation.startsWith('GET ') ? declared.roles !== 'any' : declared.roles === 'any';
    });
    expect(misdeclared.map(({ operation }) => operation)).toEqual([]);
  });

  it('declares the data classes of every kind of /live channel in the AsyncAPI document', async () => {
    const response = await request(stack.gateway.url).get('/asyncapi').expect(200);
    const live = (response.body as { channels: { live: Record<string, unknown> } }).channels.live;
    const declared = (live[ACCESS_EXTENSION] ?? {}) as Record<string, unknown>;
    const undeclared = CHANNEL_KINDS.filter(
      (kind) => !Array.isArray(declared[kind]) || (declared[kind] as unknown[]).length === 0,
    );
    expect(undeclared).toEqual([]);
    expect(Object.keys(declared).sort()).toEqual([...CHANNEL_KINDS].sort());
  });
});

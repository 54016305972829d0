/** The part of an OpenAPI document the merge touches. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
}

/** Holder of the gateway's own generated document, filled when the app is prepared. */
export const GATEWAY_OPENAPI = Symbol('GATEWAY_OPENAPI');

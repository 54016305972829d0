import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** A strong entity tag of a body: its SHA-256, base64url, quoted. */
export function strongETag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/**
 * Whether `If-None-Match` names `etag` (RFC 9110 §13.1.2: `*`, or a list compared weakly, so a
 * `W/` tag that a cache weakened still matches).
 */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .includes(etag);
}

/**
 * Sends `body` as JSON with its strong `ETag` and `Cache-Control`, or 304 without a body when the
 * request's `If-None-Match` already names it.
 */
export function sendCacheable(
  request: Request,
  response: Response,
  body: unknown,
  cacheControl: string,
): void {
  const text = JSON.stringify(body);
  const etag = strongETag(text);
  response.setHeader('ETag', etag);
  response.setHeader('Cache-Control', cacheControl);
  if (noneMatchHits(request.headers['if-none-match'], etag)) {
    response.status(304).end();
    return;
  }
  response.status(200).type('application/json').send(text);
}

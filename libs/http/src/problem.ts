import type { Response } from 'express';

/** One broken rule of a request: where, and what the rule says. */
export interface ProblemField {
  /** A path into the request: `quantity`, `lotIds[0]`, `Idempotency-Key` (a header), `id`. */
  readonly field: string;
  readonly rule: string;
}

/** An RFC 9457 problem document, as every refusal of our HTTP edge is answered. */
export interface Problem {
  /** `urn:tracker:problem:<code>`: stable, machine-readable. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code: string;
  readonly errors?: readonly ProblemField[];
  readonly requestId?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Builds a problem; `code` is kebab-case (`quantity-exceeds-unallocated`). */
export function problem(
  status: number,
  code: string,
  detail: string,
  extra: { errors?: readonly ProblemField[]; instance?: string; requestId?: string } = {},
): Problem {
  return {
    type: `urn:tracker:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}

/** Sends a problem document, with `Retry-After` when a retry may succeed. */
export function sendProblem(response: Response, body: Problem, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(retryAfterSeconds));
  response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { WriteContext } from '@tracker/outbox';
import type { Request } from 'express';
import { Caller, digest } from './auth';
import { RequestRejected } from './problem.filter';

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

/** What a write route hands its service: the caller, plus the idempotency context. */
export interface WriteRequest extends WriteContext {
  readonly caller: Caller;
}

/**
 * The {@link WriteRequest} of a write route answering `successStatus`: with an `Idempotency-Key`
 * header, the key scoped to the caller's token and a fingerprint of method, path and body.
 */
export const Write = createParamDecorator(
  (successStatus: number, context: ExecutionContext): WriteRequest => {
    const request = context.switchToHttp().getRequest<Request & { caller?: Caller }>();
    const caller = request.caller;
    if (caller === undefined) throw new Error('Write used on a public route');
    const header = request.headers['idempotency-key'];
    if (header === undefined) return { caller, successStatus };
    const key = Array.isArray(header) ? header.join(',') : header;
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new RequestRejected(400, 'invalid-idempotency-key', 'Idempotency-Key is malformed', [
        { field: 'Idempotency-Key', rule: 'must be 1 to 255 printable ASCII characters' },
      ]);
    }
    const fingerprint = digest(request.method, request.path, JSON.stringify(request.body ?? null));
    return { caller, successStatus, idempotency: { scope: caller.tokenDigest, key, fingerprint } };
  },
);

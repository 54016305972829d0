import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Written } from '@tracker/outbox';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';

function isWritten(value: unknown): value is Written<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    'body' in value &&
    'replayed' in value
  );
}

/**
 * Answers a write route's `Written` result with its own status (the first answer's, on a
 * replay) and `Idempotent-Replayed: true` when it was replayed.
 */
@Injectable()
export class WrittenInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (!isWritten(value)) return value;
        const response = context.switchToHttp().getResponse<Response>();
        response.status(value.status);
        if (value.replayed) response.setHeader('Idempotent-Replayed', 'true');
        return value.body;
      }),
    );
  }
}

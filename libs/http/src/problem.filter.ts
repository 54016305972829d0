import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '@tracker/errors';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { problem, Problem, ProblemField, sendProblem } from './problem';

/** A request the edge refuses before any service sees it (bad JSON, bad body, bad header). */
export class RequestRejected extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: readonly ProblemField[],
    /** Seconds after which a retry may succeed (`Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'RequestRejected';
  }
}

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  rule: 422,
  conflict: 409,
  lagging: 409,
  'not-found': 404,
  forbidden: 403,
};

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

/**
 * The one exception filter of every service: each refusal becomes RFC 9457 problem+json naming the
 * field and the rule. Domain errors map by kind; body-parser errors to 400 (malformed JSON) and
 * 413 (over the size limit); anything unexpected is logged and answered 500 without details.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (response.headersSent) return;
    const context = {
      instance: request.originalUrl,
      requestId: String((request as { id?: string | number }).id ?? ''),
    };
    let retryAfter: number | undefined;
    let body: Problem;
    if (error instanceof DomainError) {
      const errors = error.field ? [{ field: error.field, rule: error.message }] : undefined;
      body = problem(STATUS_OF_KIND[error.kind], error.code, error.message, { ...context, errors });
      retryAfter = error.retryAfterSeconds;
    } else if (error instanceof RequestRejected) {
      body = problem(error.status, error.code, error.message, { ...context, errors: error.errors });
      retryAfter = error.retryAfterSeconds;
    } else if (error instanceof HttpException) {
      body = this.fromHttpException(error, context);
    } else if (isBodyParserError(error)) {
      body = this.fromBodyParser(error, context);
    } else {
      this.logger.error({ err: error, url: request.originalUrl }, 'unexpected error');
      body = problem(500, 'internal-error', 'The service failed to handle the request', context);
    }
    sendProblem(response, body, retryAfter);
  }

  private fromHttpException(
    error: HttpException,
    context: { instance: string; requestId: string },
  ) {
    const status = error.getStatus();
    if (status === 404) {
      return problem(404, 'no-such-route', `No route ${context.instance}`, context);
    }
    const code = status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : 'http-error';
    return problem(status, code, error.message, context);
  }

  private fromBodyParser(error: BodyParserError, context: { instance: string; requestId: string }) {
    if (error.type === 'entity.too.large') {
      return problem(413, 'body-too-large', 'The request body is over the 1 MiB limit', context);
    }
    if (error.type === 'entity.parse.failed') {
      return problem(400, 'malformed-json', 'The request body is not valid JSON', {
        ...context,
        errors: [{ field: 'body', rule: 'must be valid JSON' }],
      });
    }
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 400;
    return problem(
      status,
      'unreadable-body',
      error.message ?? 'The request body could not be read',
      context,
    );
  }
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as BodyParserError).type === 'string' &&
    typeof (error as BodyParserError).status === 'number'
  );
}

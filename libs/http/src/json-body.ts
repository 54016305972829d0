import {
  applyDecorators,
  ArgumentMetadata,
  Injectable,
  PipeTransform,
  UsePipes,
} from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';
import { RequestRejected } from './problem.filter';
import { ProblemField } from './problem';

/** Zod issues as problem fields: `lotIds[0]` must be …; a missing body says so. */
export function fieldsOf(issues: readonly z.core.$ZodIssue[]): ProblemField[] {
  return issues.map((issue) => ({
    field:
      issue.path.length === 0
        ? 'body'
        : issue.path.reduce<string>(
            (text, part) =>
              typeof part === 'number'
                ? `${text}[${part}]`
                : text
                  ? `${text}.${String(part)}`
                  : String(part),
            '',
          ),
    rule: issue.message,
  }));
}

/** JSON Schema of a zod schema's accepted input, for OpenAPI. */
export function requestSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' });
}

@Injectable()
class ZodBodyPipe implements PipeTransform {
  constructor(private readonly schema: z.ZodType) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const errors = fieldsOf(result.error.issues);
    const summary = errors.map((error) => `${error.field} ${error.rule}`).join('; ');
    throw new RequestRejected(
      422,
      'invalid-body',
      `The request body breaks the contract: ${summary}`,
      errors,
    );
  }
}

/**
 * The route's JSON body is validated by `schema` (the same zod contract that defines the event)
 * and documented in OpenAPI from it: one schema, no DTO that repeats it.
 */
export function JsonBody(schema: z.ZodType, description?: string) {
  return applyDecorators(
    UsePipes(new ZodBodyPipe(schema)),
    ApiBody({ schema: requestSchema(schema), description }),
  );
}

@Injectable()
class ZodValuePipe implements PipeTransform {
  constructor(
    private readonly schema: z.ZodType,
    private readonly field: string,
    private readonly code: string,
  ) {}

  transform(value: unknown): unknown {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const errors = fieldsOf(result.error.issues).map((error) => ({
      field: error.field === 'body' ? this.field : `${this.field}.${error.field}`,
      rule: error.rule,
    }));
    const summary = errors.map((error) => `${error.field} ${error.rule}`).join('; ');
    throw new RequestRejected(400, this.code, `Invalid ${this.field}: ${summary}`, errors);
  }
}

/** Validates a path parameter (e.g. an entity id) with the contract's schema: 400 naming it. */
export function validParam(schema: z.ZodType, name: string): PipeTransform {
  return new ZodValuePipe(schema, name, 'invalid-path-parameter');
}

/** Validates the whole query string with a zod object schema: 400 naming each bad parameter. */
export function validQuery(schema: z.ZodType): PipeTransform {
  return new ZodValuePipe(schema, 'query', 'invalid-query');
}

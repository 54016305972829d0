import { Injectable, PipeTransform } from '@nestjs/common';
import { Timestamp } from '@tracker/contracts';
import { fieldsOf, RequestRejected } from '@tracker/http';
import { z } from 'zod';

/**
 * `?asOf=<RFC 3339>` (what had happened by then, as known now) or `?knownAt=<RFC 3339>` (what
 * the tracker showed then): exactly one. A time in the future is allowed: now, as known.
 */
export const TimeQuery = z
  .object({ asOf: Timestamp.optional(), knownAt: Timestamp.optional() })
  .strict()
  .superRefine((query, context) => {
    if (query.asOf === undefined && query.knownAt === undefined)
      context.addIssue({
        code: 'custom',
        path: ['asOf'],
        message: 'is required, or knownAt: exactly one of them',
      });
    if (query.asOf !== undefined && query.knownAt !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['knownAt'],
        message: 'cannot be combined with asOf: exactly one of them',
      });
  });
/** Named apart from its schema: Nest's reflection would take the schema object for a class. */
export type TimeFilter = z.infer<typeof TimeQuery>;

/** Validates the query with {@link TimeQuery}: 422 problem+json naming each field and its rule. */
@Injectable()
export class TimeQueryPipe implements PipeTransform {
  transform(value: unknown): TimeFilter {
    const result = TimeQuery.safeParse(value);
    if (result.success) return result.data;
    const errors = fieldsOf(result.error.issues).map(({ field, rule }) => ({
      field: field === 'body' ? 'query' : field,
      rule,
    }));
    const summary = errors.map((error) => `${error.field} ${error.rule}`).join('; ');
    throw new RequestRejected(422, 'invalid-query', `Invalid query: ${summary}`, errors);
  }
}

import type { z } from 'zod';

/** One broken rule: where, and what the rule says. */
export interface FieldViolation {
  /**
   * Where: an envelope attribute (`time`), a payload field (`data.quantity`, `data.lotIds[0]`),
   * or a part of the Kafka message (`topic`, `key`, `value`, `headers.content-type`).
   */
  readonly path: string;
  /** The rule, as a sentence completing the path: "must be a non-negative integer". */
  readonly rule: string;
}

/** Why a message or an event does not meet the contract: every violated field. */
export interface ContractViolation {
  /** One line naming every violated field. */
  readonly message: string;
  readonly topic?: string;
  /** The event's `type`, when it could be read. */
  readonly type?: string;
  readonly violations: readonly FieldViolation[];
}

/** Thrown when an event this process builds or serializes breaks the contract: a bug, never retried. */
export class ContractViolationError extends Error {
  readonly retriable = false;

  constructor(readonly violation: ContractViolation) {
    super(violation.message);
    this.name = 'ContractViolationError';
  }
}

/** `['data', 'lotIds', 0]` → `data.lotIds[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? String(segment) : `${text}.${String(segment)}`;
  }, '');
}

/** Zod issues as field violations, one per distinct path and rule. */
export function violationsFromIssues(issues: readonly z.core.$ZodIssue[]): FieldViolation[] {
  return dedupe(issues.map((issue) => ({ path: formatPath(issue.path), rule: issue.message })));
}

function dedupe(violations: readonly FieldViolation[]): FieldViolation[] {
  const seen = new Set<string>();
  return violations.filter((violation) => {
    const id = `${violation.path}\u0000${violation.rule}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Bundles violations with a one-line message naming them. */
export function contractViolation(
  violations: readonly FieldViolation[],
  context: { topic?: string; type?: string } = {},
): ContractViolation {
  const unique = dedupe(violations);
  const on = context.topic ? ` on ${context.topic}` : '';
  const of = context.type ? ` (${context.type})` : '';
  const details = unique.map((violation) => `${violation.path} ${violation.rule}`).join('; ');
  return {
    message: `contract violation${on}${of}: ${details}`,
    ...context,
    violations: unique,
  };
}

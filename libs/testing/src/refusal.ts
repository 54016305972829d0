import { DomainError } from '@tracker/errors';

/** The DomainError `check` throws; anything else it throws, or nothing, fails the test. */
export function refusalOf(check: () => unknown): DomainError {
  try {
    check();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

import type { ProgrammeDeclaredV1Event } from '@tracker/contracts';
import { latest, Stamp, stampOf } from './stamp';

/** An aid programme's declaration in force: the latest by event time (ties by event id). */
export interface ProgrammeFacts {
  readonly declaration?: {
    readonly stamp: Stamp;
    readonly name: string;
    readonly itemCode: string;
    readonly targetQuantity: number;
    readonly deadline: string;
    readonly sourceUrl: string | null;
    /** The declaration's event time (RFC 3339). */
    readonly at: string;
  };
}

export const NO_PROGRAMME_FACTS: ProgrammeFacts = {};

/** Folds a declaration in: a later one replaces target, item, deadline and name together. */
export function foldProgramme(
  facts: ProgrammeFacts,
  event: ProgrammeDeclaredV1Event,
): ProgrammeFacts {
  const { name, itemCode, targetQuantity, deadline, sourceUrl } = event.data;
  const declaration = {
    stamp: stampOf(event),
    name,
    itemCode,
    targetQuantity,
    deadline,
    sourceUrl: sourceUrl ?? null,
    at: event.time,
  };
  return { ...facts, declaration: latest(facts.declaration, declaration) };
}

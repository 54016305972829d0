import type {
  CapacityDeclaredV1Event,
  LotCompletedV1Event,
  LotQaChangedV1Event,
  StockpileLevelReportedV1Event,
} from '@tracker/contracts';
import { latest, Stamp, stampOf, withEntry } from './stamp';

/** One production lot: its completion and every QA decision about it. */
export interface LotFacts {
  readonly completion?: {
    readonly stamp: Stamp;
    /** The producer's organisation code. */
    readonly manufacturer: string;
    readonly itemCode: string;
    readonly quantity: number;
    readonly completedAt: string;
    readonly qaStatus: string;
  };
  readonly qa: Readonly<Record<string, { readonly stamp: Stamp; readonly qaStatus: string }>>;
}

export const NO_LOT_FACTS: LotFacts = { qa: {} };

export type LotEvent = LotCompletedV1Event | LotQaChangedV1Event;

export function foldLot(facts: LotFacts, event: LotEvent): LotFacts {
  const stamp = stampOf(event);
  if (event.type === 'tracker.production.lot-qa-changed.v1') {
    return {
      ...facts,
      qa: withEntry(facts.qa, event.id, { stamp, qaStatus: event.data.qaStatus }),
    };
  }
  const { manufacturer, itemCode, quantity, completedAt, qaStatus } = event.data;
  const completion = { stamp, manufacturer, itemCode, quantity, completedAt, qaStatus };
  return { ...facts, completion: latest(facts.completion, completion) };
}

/** The QA status that holds now: the latest decision, the completion's own included. */
export function lotQaStatus(facts: LotFacts): string | undefined {
  let current: { stamp: Stamp; qaStatus: string } | undefined = facts.completion;
  for (const decision of Object.values(facts.qa)) current = latest(current, decision);
  return current?.qaStatus;
}

/** What a lot counts as produced: its quantity, unless QA rejected it. */
export function lotOutput(
  facts: LotFacts,
): { itemCode: string; quantity: number; completedAt: string } | undefined {
  const completion = facts.completion;
  if (completion === undefined || lotQaStatus(facts) === 'rejected') return undefined;
  return {
    itemCode: completion.itemCode,
    quantity: completion.quantity,
    completedAt: completion.completedAt,
  };
}

/** One declared capacity: the latest declaration under its id. */
export interface CapacityFacts {
  readonly declaration?: {
    readonly stamp: Stamp;
    readonly itemCode: string;
    readonly unitsPerMonth: number;
    readonly basis: string;
    readonly effectiveFrom: string;
  };
}

export function foldCapacity(facts: CapacityFacts, event: CapacityDeclaredV1Event): CapacityFacts {
  const { itemCode, unitsPerMonth, basis, effectiveFrom } = event.data;
  const declaration = { stamp: stampOf(event), itemCode, unitsPerMonth, basis, effectiveFrom };
  return { declaration: latest(facts.declaration, declaration) };
}

/** One nation × item stockpile: the report with the latest `at`. */
export interface StockpileFacts {
  readonly report?: {
    readonly stamp: Stamp;
    readonly quantity: number;
    readonly minimumRequired: number | null;
    readonly at: string;
  };
}

export function foldStockpile(
  facts: StockpileFacts,
  event: StockpileLevelReportedV1Event,
): StockpileFacts {
  const { quantity, minimumRequired, at } = event.data;
  const report = {
    stamp: { t: Date.parse(at), id: event.id },
    quantity,
    minimumRequired: minimumRequired ?? null,
    at,
  };
  return { report: latest(facts.report, report) };
}

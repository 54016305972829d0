import {
  programmeDeclarationField,
  programmeKey,
  programmeMonthField,
  type Increment,
  type PledgeValue,
} from '@tracker/read-model';
import type { PledgeFacts } from '../facts/pledge.facts';
import type { ProgrammeFacts } from '../facts/programme.facts';
import { utcDate } from '../facts/stamp';
import { difference } from './contributions';

const monthOf = (timestamp: string): string => utcDate(Date.parse(timestamp)).slice(0, 7);

/**
 * A pledge's share of its programme's monthly series, as `m:<YYYY-MM>:p|d` field → quantity:
 * its pledged quantity in the month it was announced, each shipment's accepted quantity in the
 * month of its latest accepting receipt. Nothing for a pledge not announced (`value` undefined)
 * or without a programme. The totals (`pledged`, `accepted`, …) come with the other summaries
 * (`contributionIncrements`).
 */
function monthsOf(value: PledgeValue | undefined, facts: PledgeFacts): Map<string, number> {
  const months = new Map<string, number>();
  if (value?.programme == null) return months;
  const add = (field: string, quantity: number) => {
    if (quantity !== 0) months.set(field, (months.get(field) ?? 0) + quantity);
  };
  add(programmeMonthField(monthOf(value.announcedAt), 'p'), value.pledged);
  for (const share of Object.values(facts.shipments)) {
    if (share.lastAcceptedAt !== null) {
      add(programmeMonthField(monthOf(share.lastAcceptedAt), 'd'), share.accepted);
    }
  }
  return months;
}

/**
 * The increments that move a pledge's share of its programme's months from before to after:
 * `previous` and `before` are what the model holds (the stored value and facts), `value` and
 * `after` what the batch made of them. Both sides are exact, so applying the difference once,
 * in the batch's atomic step, keeps the series equal to the sum over the programme's pledges
 * whatever order their events came in.
 */
export function programmeMonthIncrements(
  previous: PledgeValue | undefined,
  before: PledgeFacts,
  value: PledgeValue | undefined,
  after: PledgeFacts,
): Increment[] {
  const keyed = (side: PledgeValue | undefined, facts: PledgeFacts) => {
    const map = new Map<string, number>();
    for (const [field, quantity] of monthsOf(side, facts)) {
      map.set(`${programmeKey(side?.programme ?? '')}|${field}`, quantity);
    }
    return map;
  };
  return [...difference(keyed(previous, before), keyed(value, after))].map(([id, delta]) => {
    const bar = id.indexOf('|');
    return { key: id.slice(0, bar), field: id.slice(bar + 1), delta };
  });
}

/** A programme's declaration fields of its hash: set from the declaration in force. */
export function programmeDeclarationFields(
  id: string,
  facts: ProgrammeFacts,
): { key: string; field: string; value: string | null }[] {
  const d = facts.declaration;
  const key = programmeKey(id);
  const parts = [
    ['name', d?.name],
    ['item', d?.itemCode],
    ['target', d === undefined ? undefined : String(d.targetQuantity)],
    ['deadline', d?.deadline],
    ['url', d?.sourceUrl ?? undefined],
    ['at', d?.at],
  ] as const;
  return parts.map(([part, value]) => ({
    key,
    field: programmeDeclarationField(part),
    value: value ?? null,
  }));
}

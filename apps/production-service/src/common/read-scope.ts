import { Fact, operationalFact } from '@tracker/access';

// What each of production-service's facts is, for `maySee` of @tracker/access (README, "Who sees
// what"): every read route answers an entity only to a viewer that may see it, and 404 otherwise,
// exactly as for an entity that does not exist.

/** A capacity declaration is its manufacturer's commercial fact. */
export function capacityFact(capacity: { readonly manufacturer: string }): Fact {
  return { class: 'commercial', producer: capacity.manufacturer };
}

/** A lot and its QA status are its manufacturer's commercial fact. */
export function lotFact(lot: { readonly manufacturer: string }): Fact {
  return { class: 'commercial', producer: lot.manufacturer };
}

/** A stockpile level is its nation's. */
export function stockpileFact(stockpile: { readonly nation: string }): Fact {
  return { class: 'national', nation: stockpile.nation };
}

/**
 * An allocation is an operational fact of its pledge: the pledge's donor and recipient and the
 * lot's producer, each when known.
 */
export function allocationFact(
  pledge: { readonly donor: string; readonly recipient: string | null } | undefined,
  lot: { readonly manufacturer: string } | undefined,
): Fact {
  return operationalFact(pledge ?? {}, lot === undefined ? [] : [lot.manufacturer]);
}

/**
 * What is allocated to a pledge is an operational fact of the pledge: its donor's, its
 * recipient's and that of every producer with lots allocated to it.
 */
export function pledgeAllocationsFact(
  pledge: { readonly donor: string; readonly recipient: string | null },
  producers: readonly string[],
): Fact {
  return operationalFact(pledge, producers);
}

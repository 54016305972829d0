import { describeRole, Role } from '@tracker/config';

/**
 * Who is looking: a role from `AUTH_TOKENS`, or the public (no token), which only ever reads the
 * delayed public view.
 */
export type Viewer = Role | { readonly kind: 'public' };

/** The public viewer: no token. */
export const PUBLIC_VIEWER: Viewer = { kind: 'public' };

/**
 * The data classes of the tracker (README, "Who sees what"):
 * - `public`: pledges as announced, pledge status, totals of pledged and delivered, capacity
 *   summed per item;
 * - `operational`: shipments, routes, ETAs, milestones, carriers, lots on shipments,
 *   allocations, in-transit and lost quantities, alerts and feed entries about a pledge or
 *   shipment;
 * - `national`: stockpile levels and minimums of one nation;
 * - `commercial`: a producer's capacity per facility, lots, QA and output.
 */
export const DATA_CLASSES = ['public', 'operational', 'national', 'commercial'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

/**
 * One fact, described by what decides who may see it: its class and the parties it belongs to.
 * An operational fact belongs to the pledge's donor and recipient and to the producers that send
 * or allocated it; a party left out (not known yet) grants nothing.
 */
export type Fact =
  | { readonly class: 'public' }
  | {
      readonly class: 'operational';
      readonly donor?: string | null;
      readonly recipient?: string | null;
      readonly producers?: readonly string[];
    }
  | { readonly class: 'national'; readonly nation: string }
  | { readonly class: 'commercial'; readonly producer: string };

export const PUBLIC_FACT: Fact = { class: 'public' };

/** True for `admin` and `ops`, who see every fact. */
export function seesEverything(viewer: Viewer): boolean {
  return viewer.kind === 'admin' || viewer.kind === 'ops';
}

/**
 * Whether `viewer` may see `fact`: the one rule every door of the tracker applies (HTTP routes of
 * every service, the gateway's reads, every `/live` channel, the feed, the alerts). The public
 * viewer sees public facts only, and only through the delayed public view.
 */
export function maySee(viewer: Viewer, fact: Fact): boolean {
  if (seesEverything(viewer)) return true;
  switch (fact.class) {
    case 'public':
      return true;
    case 'operational':
      return isPartyTo(viewer, fact);
    case 'national':
      return (
        (viewer.kind === 'donor' || viewer.kind === 'recipient') && viewer.country === fact.nation
      );
    case 'commercial':
      return viewer.kind === 'producer' && viewer.org === fact.producer;
  }
}

/** Whether the viewer is one of an operational fact's parties. */
function isPartyTo(viewer: Viewer, fact: Extract<Fact, { class: 'operational' }>): boolean {
  switch (viewer.kind) {
    case 'donor':
      return fact.donor === viewer.country;
    case 'recipient':
      return fact.recipient === viewer.country;
    case 'producer':
      return fact.producers?.includes(viewer.org) ?? false;
    case 'admin':
    case 'ops':
    case 'public':
      return false;
  }
}

/** `donor:DE`, `admin`, `public`: a viewer in the words of `AUTH_TOKENS`. */
export function describeViewer(viewer: Viewer): string {
  return viewer.kind === 'public' ? 'public' : describeRole(viewer);
}

/** The facts of a pledge's operations: its donor's and recipient's, and its senders'. */
export function operationalFact(
  parties: { readonly donor?: string | null; readonly recipient?: string | null },
  producers: readonly string[] = [],
): Fact {
  return { class: 'operational', donor: parties.donor, recipient: parties.recipient, producers };
}

import type { TrackerEvent } from '@tracker/contracts';
import {
  HISTORY_FIELDS,
  HistoryChange,
  HistoryField,
  UnnumberedHistoryEntry,
} from '@tracker/read-model';
import { pledgeFigures } from '../derive/pledge-value';
import {
  foldPledge,
  NO_PLEDGE_FACTS,
  PledgeFacts,
  ShipmentShare,
  withShipment,
} from '../facts/pledge.facts';
import { ShipmentFacts, shipmentShare } from '../facts/shipment.facts';
import type { RecordedEvent } from './batch-plan';
import type { WorkingSet } from './working-set';

type Figures = Readonly<Record<HistoryField, number | string | null>>;

const NO_FIGURES: Figures = {
  pledged: 0,
  allocated: 0,
  shipped: 0,
  received: 0,
  accepted: 0,
  rejected: 0,
  lost: 0,
  outstanding: 0,
  status: null,
  targetDate: null,
};

/**
 * A pledge's figures as {@link derivePledge} derives them; zero (and no status) while it was not
 * announced: nothing counts yet.
 */
function figuresOf(facts: PledgeFacts, asOf: string): Figures {
  return pledgeFigures(facts, asOf) ?? NO_FIGURES;
}

/** A shipment event's facts just before and just after the batch folded it. */
export interface ShipmentStep {
  readonly before: ShipmentFacts;
  readonly after: ShipmentFacts;
}

function changesBetween(before: Figures, after: Figures): UnnumberedHistoryEntry['changes'] {
  const changes: Partial<Record<HistoryField, HistoryChange>> = {};
  for (const field of HISTORY_FIELDS) {
    if (before[field] !== after[field])
      changes[field] = { before: before[field], after: after[field] };
  }
  return changes;
}

interface PledgeState {
  facts: PledgeFacts;
  figures: Figures;
}

/**
 * The pledge history entries of a batch's applied events (libs/read-model pledge-history.ts), in
 * the order they were applied. A shipment event's facts before and after it come from the
 * batch's own fold (`shipmentSteps`, one per event: undefined for any other event), so only the
 * pledge's side is folded here: the pledge events and each changed shipment share, one event at
 * a time, from the pledge as loaded (decoded once, with the batch's working set), with the same
 * pure folds as the batch. So each entry says what its own event changed, the last entry's
 * figures are the pledge's figures the batch derives, and the changes of a pledge's entries add
 * up to its live figures.
 *
 * A shipment event before its dispatch names no pledge yet: it has no entry of its own, and
 * counts from the dispatch's entry on (listed in its `includes`); likewise an allocation or
 * shipment before its pledge's announcement counts from the announcement's entry on.
 */
export function historyOf(
  events: readonly RecordedEvent[],
  shipmentSteps: readonly (ShipmentStep | undefined)[],
  ws: WorkingSet,
  asOf: string,
): { pledgeId: string; entry: UnnumberedHistoryEntry }[] {
  const replay = new Replay(ws, asOf);
  events.forEach((recorded, i) => replay.apply(recorded, shipmentSteps[i]));
  return replay.entries;
}

/** The shipment an event is folded into; undefined for an event of no shipment. */
export function shipmentIdOf(event: TrackerEvent): string | undefined {
  switch (event.type) {
    case 'tracker.shipment.dispatched.v1':
    case 'tracker.shipment.milestone.v1':
    case 'tracker.shipment.delivered.v1':
    case 'tracker.shipment.delivery-corrected.v1':
    case 'tracker.shipment.lost.v1':
      return event.data.shipmentId;
    case 'tracker.pledge.announced.v1':
    case 'tracker.pledge.amended.v1':
    case 'tracker.pledge.cancelled.v1':
    case 'tracker.production.allocated.v1':
    case 'tracker.production.capacity-declared.v1':
    case 'tracker.production.lot-completed.v1':
    case 'tracker.production.lot-qa-changed.v1':
    case 'tracker.stockpile.level-reported.v1':
    case 'tracker.alert.raised.v1':
    case 'tracker.alert.cleared.v1':
    case 'tracker.programme.declared.v1':
      return undefined;
  }
}

class Replay {
  readonly entries: { pledgeId: string; entry: UnnumberedHistoryEntry }[] = [];
  private readonly pledges = new Map<string, PledgeState | null>();

  constructor(
    private readonly ws: WorkingSet,
    private readonly asOf: string,
  ) {}

  apply({ event, recordedMs }: RecordedEvent, step: ShipmentStep | undefined): void {
    const record = (pledgeId: string, change: (facts: PledgeFacts) => PledgeFacts) =>
      this.record(pledgeId, event, recordedMs, change, step);
    switch (event.type) {
      case 'tracker.pledge.announced.v1':
      case 'tracker.pledge.amended.v1':
      case 'tracker.pledge.cancelled.v1':
      case 'tracker.production.allocated.v1': {
        const facts = this.pledge(event.data.pledgeId)?.facts;
        if (facts !== undefined && inPledge(event, facts)) return;
        return record(event.data.pledgeId, (f) => foldPledge(f, event));
      }
      case 'tracker.shipment.dispatched.v1':
      case 'tracker.shipment.milestone.v1':
      case 'tracker.shipment.delivered.v1':
      case 'tracker.shipment.delivery-corrected.v1':
      case 'tracker.shipment.lost.v1': {
        const { shipmentId } = event.data;
        if (step === undefined) throw new Error(`no shipment step for event ${event.id}`);
        const { before, after } = step;
        if (inShipment(event, before)) return;
        const from = before.dispatch?.pledgeId;
        const to = after.dispatch?.pledgeId;
        if (from !== undefined && from !== to)
          record(from, (facts) => withShipment(facts, shipmentId, undefined));
        if (to !== undefined) {
          const share = shipmentShare(after);
          record(to, (facts) =>
            sameShare(facts.shipments[shipmentId], share)
              ? facts
              : withShipment(facts, shipmentId, share),
          );
        }
        return;
      }
      case 'tracker.production.capacity-declared.v1':
      case 'tracker.production.lot-completed.v1':
      case 'tracker.production.lot-qa-changed.v1':
      case 'tracker.stockpile.level-reported.v1':
      case 'tracker.alert.raised.v1':
      case 'tracker.alert.cleared.v1':
      case 'tracker.programme.declared.v1':
        return;
    }
  }

  private record(
    pledgeId: string,
    event: TrackerEvent,
    recordedMs: number,
    change: (facts: PledgeFacts) => PledgeFacts,
    step: ShipmentStep | undefined,
  ): void {
    const state = this.pledge(pledgeId);
    if (state === undefined) return;
    const facts = change(state.facts);
    // Unchanged facts (a milestone): the same figures, without deriving them again.
    const figures = facts === state.facts ? state.figures : figuresOf(facts, this.asOf);
    const includes = includesOf(event, state.facts, facts, step?.after);
    const recordedAt = isoTime(recordedMs);
    const changes = changesBetween(state.figures, figures);
    // Added to the described entry in place (the same keys in the same order as before):
    // copying it per event was the history's largest cost after the fold.
    const entry = Object.assign(
      describe(event, facts),
      includes.length === 0 ? { recordedAt, changes } : { recordedAt, includes, changes },
    );
    this.entries.push({ pledgeId, entry });
    this.pledges.set(pledgeId, { facts, figures });
  }

  /** The pledge as loaded for the batch, then as replayed; undefined when it was not loaded. */
  private pledge(pledgeId: string): PledgeState | undefined {
    let state = this.pledges.get(pledgeId);
    if (state === undefined) {
      const stored = this.ws.loadedFacts<PledgeFacts>('pledge', pledgeId);
      if (stored === undefined) state = null;
      else {
        const facts = stored ?? NO_PLEDGE_FACTS;
        state = { facts, figures: figuresOf(facts, this.asOf) };
      }
      this.pledges.set(pledgeId, state);
    }
    return state ?? undefined;
  }
}

/** Facts that start to count with this event: see {@link historyOf}. */
function includesOf(
  event: TrackerEvent,
  before: PledgeFacts,
  after: PledgeFacts,
  shipment: ShipmentFacts | undefined,
): string[] {
  if (event.type === 'tracker.pledge.announced.v1' && before.announcement === undefined) {
    return [
      ...Object.keys(after.allocations).map((id) => `allocation:${id}`),
      ...Object.keys(after.shipments).map((id) => `shipment:${id}`),
    ];
  }
  if (event.type === 'tracker.shipment.dispatched.v1') {
    const wasLinked = before.shipments[event.data.shipmentId] !== undefined;
    if (wasLinked) return [];
    const earlier = new Set([
      ...Object.keys(shipment?.deliveries ?? {}),
      ...Object.keys(shipment?.corrections ?? {}),
      ...Object.keys(shipment?.losses ?? {}),
      ...Object.keys(shipment?.milestones ?? {}),
    ]);
    return [...earlier].map((id) => `event:${id}`);
  }
  return [];
}

/** Whether a pledge already holds this share of a shipment (a milestone changes none). */
function sameShare(held: ShipmentShare | undefined, share: ShipmentShare | undefined): boolean {
  if (held === undefined || share === undefined) return held === share;
  return (
    held.shipped === share.shipped &&
    held.received === share.received &&
    held.accepted === share.accepted &&
    held.rejected === share.rejected &&
    held.lost === share.lost &&
    held.lastAcceptedAt === share.lastAcceptedAt &&
    held.dispatchedAtMs === share.dispatchedAtMs
  );
}

/**
 * Whether the facts hold the event already: it was applied before (and the dedupe window forgot
 * it), so applying it again changes nothing and adds no entry.
 */
function inPledge(
  event: Extract<TrackerEvent, { data: { pledgeId: string } }>,
  facts: PledgeFacts,
): boolean {
  switch (event.type) {
    case 'tracker.pledge.announced.v1':
      return facts.announcement?.stamp.id === event.id;
    case 'tracker.pledge.amended.v1':
      return event.id in facts.amendments;
    case 'tracker.pledge.cancelled.v1':
      return event.id in facts.cancellations;
    case 'tracker.production.allocated.v1':
      return facts.allocations[event.data.allocationId]?.stamp.id === event.id;
    case 'tracker.shipment.dispatched.v1':
      return false;
  }
}

function inShipment(
  event: Extract<TrackerEvent, { data: { shipmentId: string } }>,
  facts: ShipmentFacts,
): boolean {
  switch (event.type) {
    case 'tracker.shipment.dispatched.v1':
      return facts.dispatch?.stamp.id === event.id;
    case 'tracker.shipment.milestone.v1':
      return event.id in facts.milestones;
    case 'tracker.shipment.delivered.v1':
      return event.id in facts.deliveries;
    case 'tracker.shipment.delivery-corrected.v1':
      return event.id in (facts.corrections ?? {});
    case 'tracker.shipment.lost.v1':
      return event.id in facts.losses;
  }
}

let lastRecorded = { ms: Number.NaN, iso: '' };

/** RFC 3339 of a record timestamp; a batch's records often share one, so the last is kept. */
function isoTime(ms: number): string {
  if (lastRecorded.ms !== ms) lastRecorded = { ms, iso: new Date(ms).toISOString() };
  return lastRecorded.iso;
}

type Described = Omit<UnnumberedHistoryEntry, 'recordedAt' | 'changes' | 'includes'>;

/**
 * Who, what, when, how sure and which class: see PledgeHistoryEntry in libs/read-model. One
 * object literal per kind of event (no spreads: this runs for every entry of every batch).
 */
function describe(event: TrackerEvent, facts: PledgeFacts): Described {
  const { id: eventId, type, source, time } = event;
  const [operational, reported] = ['operational', 'reported'] as const;
  switch (event.type) {
    case 'tracker.pledge.announced.v1':
    case 'tracker.pledge.amended.v1':
    case 'tracker.pledge.cancelled.v1': {
      const confidence = facts.announcement?.confidence ?? null;
      if (!('reason' in event.data))
        return { eventId, type, source, time, reportedBy: null, confidence, class: 'public' };
      const { reason } = event.data;
      return { eventId, type, source, time, reportedBy: null, confidence, class: 'public', reason };
    }
    case 'tracker.shipment.dispatched.v1': {
      const reportedBy = event.data.dispatchedBy ?? null;
      const { shipmentId } = event.data;
      return {
        eventId,
        type,
        source,
        time,
        reportedBy,
        class: operational,
        confidence: reported,
        shipmentId,
      };
    }
    case 'tracker.shipment.milestone.v1': {
      const { shipmentId } = event.data;
      return {
        eventId,
        type,
        source,
        time,
        reportedBy: null,
        class: operational,
        confidence: reported,
        shipmentId,
      };
    }
    case 'tracker.shipment.lost.v1': {
      const { shipmentId, reason } = event.data;
      return {
        eventId,
        type,
        source,
        time,
        reportedBy: null,
        class: operational,
        confidence: reported,
        shipmentId,
        reason,
      };
    }
    case 'tracker.shipment.delivered.v1':
    case 'tracker.shipment.delivery-corrected.v1': {
      const reportedBy = event.data.reportedBy ?? null;
      const confidence = reportedBy === null ? reported : 'confirmed';
      const kind = reportedBy === null ? operational : 'public';
      const { shipmentId } = event.data;
      if (!('reason' in event.data))
        return { eventId, type, source, time, reportedBy, confidence, class: kind, shipmentId };
      const { reason } = event.data;
      return {
        eventId,
        type,
        source,
        time,
        reportedBy,
        confidence,
        class: kind,
        shipmentId,
        reason,
      };
    }
    case 'tracker.production.allocated.v1':
    case 'tracker.production.capacity-declared.v1':
    case 'tracker.production.lot-completed.v1':
    case 'tracker.production.lot-qa-changed.v1':
    case 'tracker.stockpile.level-reported.v1':
    case 'tracker.alert.raised.v1':
    case 'tracker.alert.cleared.v1':
    case 'tracker.programme.declared.v1':
      return {
        eventId,
        type,
        source,
        time,
        reportedBy: null,
        class: operational,
        confidence: reported,
      };
  }
}

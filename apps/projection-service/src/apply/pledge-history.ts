import type { TrackerEvent } from '@tracker/contracts';
import {
  docKey,
  HISTORY_FIELDS,
  HistoryChange,
  HistoryField,
  PledgeValue,
  StoredDoc,
  UnnumberedHistoryEntry,
} from '@tracker/read-model';
import { derivePledge, NO_FORECAST } from '../derive/pledge-value';
import { foldPledge, NO_PLEDGE_FACTS, PledgeFacts, withShipment } from '../facts/pledge.facts';
import {
  foldShipment,
  NO_SHIPMENT_FACTS,
  ShipmentFacts,
  shipmentShare,
} from '../facts/shipment.facts';
import type { RecordedEvent } from './batch-plan';

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

/** A pledge's figures; zero (and no status) while it was not announced: nothing counts yet. */
function figuresOf(value: PledgeValue | undefined): Figures {
  if (value === undefined) return NO_FIGURES;
  const { pledged, allocated, shipped, received, accepted, rejected, lost, outstanding } = value;
  const { status, targetDate } = value;
  return {
    pledged,
    allocated,
    shipped,
    received,
    accepted,
    rejected,
    lost,
    outstanding,
    status,
    targetDate,
  };
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
 * the order they were applied. The events are folded again one at a time, from the documents
 * as loaded, into a copy of the pledge and shipment facts, so each entry says what its own event
 * changed: the same pure folds as the batch, so the last entry's figures are the pledge's
 * figures the batch derives, and the changes of a pledge's entries add up to its live figures.
 *
 * A shipment event before its dispatch names no pledge yet: it has no entry of its own, and
 * counts from the dispatch's entry on (listed in its `includes`); likewise an allocation or
 * shipment before its pledge's announcement counts from the announcement's entry on.
 */
export function historyOf(
  events: readonly RecordedEvent[],
  loaded: ReadonlyMap<string, StoredDoc>,
  asOf: string,
): { pledgeId: string; entry: UnnumberedHistoryEntry }[] {
  const replay = new Replay(loaded, asOf);
  for (const recorded of events) replay.apply(recorded);
  return replay.entries;
}

class Replay {
  readonly entries: { pledgeId: string; entry: UnnumberedHistoryEntry }[] = [];
  private readonly pledges = new Map<string, PledgeState | null>();
  private readonly shipments = new Map<string, ShipmentFacts>();

  constructor(
    private readonly loaded: ReadonlyMap<string, StoredDoc>,
    private readonly asOf: string,
  ) {}

  apply({ event, recordedMs }: RecordedEvent): void {
    const record = (pledgeId: string, change: (facts: PledgeFacts) => PledgeFacts) =>
      this.record(pledgeId, event, recordedMs, change);
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
        const before = this.shipment(shipmentId);
        if (inShipment(event, before)) return;
        const after = foldShipment(before, event);
        this.shipments.set(shipmentId, after);
        const from = before.dispatch?.pledgeId;
        const to = after.dispatch?.pledgeId;
        if (from !== undefined && from !== to)
          record(from, (facts) => withShipment(facts, shipmentId, undefined));
        if (to !== undefined)
          record(to, (facts) => withShipment(facts, shipmentId, shipmentShare(after)));
        return;
      }
      case 'tracker.production.capacity-declared.v1':
      case 'tracker.production.lot-completed.v1':
      case 'tracker.production.lot-qa-changed.v1':
      case 'tracker.stockpile.level-reported.v1':
      case 'tracker.alert.raised.v1':
      case 'tracker.alert.cleared.v1':
        return;
    }
  }

  private record(
    pledgeId: string,
    event: TrackerEvent,
    recordedMs: number,
    change: (facts: PledgeFacts) => PledgeFacts,
  ): void {
    const state = this.pledge(pledgeId);
    if (state === undefined) return;
    const facts = change(state.facts);
    const value = derivePledge(pledgeId, facts, this.asOf, NO_FORECAST);
    const figures = figuresOf(value);
    const includes = this.includes(event, state.facts, facts);
    this.entries.push({
      pledgeId,
      entry: {
        ...describe(event, facts),
        recordedAt: new Date(recordedMs).toISOString(),
        ...(includes.length === 0 ? {} : { includes }),
        changes: changesBetween(state.figures, figures),
      },
    });
    this.pledges.set(pledgeId, { facts, figures });
  }

  /** Facts that start to count with this event: see {@link historyOf}. */
  private includes(event: TrackerEvent, before: PledgeFacts, after: PledgeFacts): string[] {
    if (event.type === 'tracker.pledge.announced.v1' && before.announcement === undefined) {
      return [
        ...Object.keys(after.allocations).map((id) => `allocation:${id}`),
        ...Object.keys(after.shipments).map((id) => `shipment:${id}`),
      ];
    }
    if (event.type === 'tracker.shipment.dispatched.v1') {
      const shipment = this.shipments.get(event.data.shipmentId);
      const earlier = new Set([
        ...Object.keys(shipment?.deliveries ?? {}),
        ...Object.keys(shipment?.corrections ?? {}),
        ...Object.keys(shipment?.losses ?? {}),
        ...Object.keys(shipment?.milestones ?? {}),
      ]);
      const wasLinked = before.shipments[event.data.shipmentId] !== undefined;
      return wasLinked ? [] : [...earlier].map((id) => `event:${id}`);
    }
    return [];
  }

  /** The pledge as loaded for the batch, then as replayed; undefined when it was not loaded. */
  private pledge(pledgeId: string): PledgeState | undefined {
    let state = this.pledges.get(pledgeId);
    if (state === undefined) {
      const stored = this.loaded.get(docKey('pledge', pledgeId));
      if (stored === undefined) state = null;
      else {
        const facts =
          stored.doc === null ? NO_PLEDGE_FACTS : (JSON.parse(stored.doc) as PledgeFacts);
        const value = derivePledge(pledgeId, facts, this.asOf, NO_FORECAST);
        state = { facts, figures: figuresOf(value) };
      }
      this.pledges.set(pledgeId, state);
    }
    return state ?? undefined;
  }

  private shipment(shipmentId: string): ShipmentFacts {
    let facts = this.shipments.get(shipmentId);
    if (facts === undefined) {
      const stored = this.loaded.get(docKey('shipment', shipmentId))?.doc ?? null;
      facts = stored === null ? NO_SHIPMENT_FACTS : (JSON.parse(stored) as ShipmentFacts);
      this.shipments.set(shipmentId, facts);
    }
    return facts;
  }
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

/** Who, what, when, how sure and which class: see PledgeHistoryEntry in libs/read-model. */
function describe(
  event: TrackerEvent,
  facts: PledgeFacts,
): Omit<UnnumberedHistoryEntry, 'recordedAt' | 'changes' | 'includes'> {
  const common = { eventId: event.id, type: event.type, source: event.source, time: event.time };
  const operational = { class: 'operational' as const, confidence: 'reported' };
  switch (event.type) {
    case 'tracker.pledge.announced.v1':
    case 'tracker.pledge.amended.v1':
    case 'tracker.pledge.cancelled.v1': {
      const reason = 'reason' in event.data ? { reason: event.data.reason } : {};
      const confidence = facts.announcement?.confidence ?? null;
      return { ...common, reportedBy: null, confidence, class: 'public', ...reason };
    }
    case 'tracker.production.allocated.v1':
      return { ...common, reportedBy: null, ...operational };
    case 'tracker.shipment.dispatched.v1':
      return {
        ...common,
        reportedBy: event.data.dispatchedBy ?? null,
        ...operational,
        shipmentId: event.data.shipmentId,
      };
    case 'tracker.shipment.milestone.v1':
      return { ...common, reportedBy: null, ...operational, shipmentId: event.data.shipmentId };
    case 'tracker.shipment.lost.v1':
      return {
        ...common,
        reportedBy: null,
        ...operational,
        shipmentId: event.data.shipmentId,
        reason: event.data.reason,
      };
    case 'tracker.shipment.delivered.v1':
    case 'tracker.shipment.delivery-corrected.v1': {
      const reportedBy = event.data.reportedBy ?? null;
      const reason = 'reason' in event.data ? { reason: event.data.reason } : {};
      return {
        ...common,
        reportedBy,
        confidence: reportedBy === null ? 'reported' : 'confirmed',
        class: reportedBy === null ? 'operational' : 'public',
        shipmentId: event.data.shipmentId,
        ...reason,
      };
    }
    case 'tracker.production.capacity-declared.v1':
    case 'tracker.production.lot-completed.v1':
    case 'tracker.production.lot-qa-changed.v1':
    case 'tracker.stockpile.level-reported.v1':
    case 'tracker.alert.raised.v1':
    case 'tracker.alert.cleared.v1':
    case 'tracker.programme.declared.v1':
      return { ...common, reportedBy: null, ...operational };
  }
}

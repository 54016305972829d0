import {
  futureRule,
  REJECTION_REASONS,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentLostV1,
  ShipmentMilestoneV1,
  MILESTONE_STATUSES,
} from '@tracker/contracts';
import { EpcisDocument, EpcisEvent } from './epcis-document.schema';
import { contract, EventReading, ShipmentEvent, Unmappable } from './epcis-event.reading';
import {
  cbvCode,
  isJudgement,
  JUDGEMENTS,
  LOSS_DISPOSITIONS,
  MILESTONE_EXTENSION,
  PLEDGE_BTT,
} from './epcis.vocabulary';

// EPCIS event → the tracker's own command, as a pure function of the document (README, "EPCIS
// 2.0 capture", holds the table). The commands then go through ShipmentService's rules under the
// capturing party's role; nothing here knows the pledges, lots or shipments on record.

/** EPCIS 2.0 error types a refused event is reported with. */
export type EpcisErrorType =
  'ValidationException' | 'SecurityException' | 'ImplementationException';

/** One refused event of a capture: which, the EPCIS error type, the rule broken and why. */
export interface EventRefusal {
  readonly index: number;
  readonly eventID?: string;
  readonly errorType: EpcisErrorType;
  /** The tracker's rule code: `pledge-missing`, `exceeds-allocation`, `outside-scope`, … */
  readonly rule: string;
  readonly detail: string;
  /** The event's field (or the tracker payload's) the refusal is about. */
  readonly field?: string;
}

type RejectionReason = (typeof REJECTION_REASONS)[number];

/** A dispatch as an event gives it: the item may be left to the pledge's (a lot's class). */
export type DispatchDraft = Omit<ShipmentDispatchedV1, 'itemCode' | 'dispatchedBy'> & {
  readonly itemCode?: string;
};

/** What one event asks of the tracker. */
export type CaptureCommand =
  | { readonly kind: 'dispatch'; readonly dispatch: DispatchDraft; readonly producer?: string }
  /**
   * A `departing` event naming its pledge: the dispatch when the shipment is not on record yet,
   * else the milestone `in-transit` (it left a stop on its way).
   */
  | {
      readonly kind: 'departure';
      readonly dispatch: DispatchDraft;
      readonly producer?: string;
      readonly milestone: ShipmentMilestoneV1;
    }
  | { readonly kind: 'milestone'; readonly milestone: ShipmentMilestoneV1 }
  | { readonly kind: 'receipt'; readonly receipt: ShipmentDeliveredV1 }
  | { readonly kind: 'loss'; readonly loss: ShipmentLostV1 }
  /** An `inspecting` event, folded into the receipt of the `receiving` event at `into`. */
  | { readonly kind: 'inspection'; readonly into: number };

export interface MappedEvent {
  readonly index: number;
  readonly eventID?: string;
  readonly command: CaptureCommand;
}

export interface MappedDocument {
  readonly events: readonly MappedEvent[];
  readonly refusals: readonly EventRefusal[];
}

export interface MappingClock {
  /** When the document was received, epoch ms: no event may lie further ahead than the skew. */
  readonly now: number;
  readonly maxClockSkewMs: number;
}

interface ReceiptDraft {
  readonly index: number;
  readonly shipmentId: string;
  readonly receivedAt: string;
  readonly received: number;
  accepted: number;
  rejected: number;
  reason?: RejectionReason;
  readonly judged: boolean;
  inspections: number;
}

type Step =
  | { readonly kind: 'done'; readonly command: CaptureCommand }
  | { readonly kind: 'receipt'; readonly draft: ReceiptDraft };

/** Maps every event of `document`; each event maps or is refused, in document order. */
export function mapDocument(document: EpcisDocument, clock: MappingClock): MappedDocument {
  const steps: { index: number; eventID?: string; step: Step }[] = [];
  const refusals: EventRefusal[] = [];
  const openReceipts = new Map<string, ReceiptDraft>();
  document.epcisBody.eventList.forEach((event, index) => {
    try {
      const step = mapEvent(event, index, clock, openReceipts);
      steps.push({ index, eventID: event.eventID, step });
      if (step.kind === 'receipt' && !step.draft.judged) {
        openReceipts.set(step.draft.shipmentId, step.draft);
      }
    } catch (error) {
      if (!(error instanceof Unmappable)) throw error;
      refusals.push(refusal(index, event.eventID, error));
    }
  });
  const events: MappedEvent[] = [];
  for (const { index, eventID, step } of steps) {
    if (step.kind === 'done') {
      events.push({ index, eventID, command: step.command });
      continue;
    }
    const { draft } = step;
    if (!draft.judged && draft.inspections === 0) {
      refusals.push(
        refusal(
          index,
          eventID,
          new Unmappable(
            'receipt-not-judged',
            'a receiving event without a judgement (disposition conformant, non_conformant or damaged) needs inspecting events of the same shipment later in the document',
            'disposition',
          ),
        ),
      );
      continue;
    }
    events.push({ index, eventID, command: { kind: 'receipt', receipt: receiptOf(draft) } });
  }
  refusals.sort((a, b) => a.index - b.index);
  return { events, refusals };
}

function refusal(index: number, eventID: string | undefined, error: Unmappable): EventRefusal {
  return {
    index,
    ...(eventID === undefined ? {} : { eventID }),
    errorType: 'ValidationException',
    rule: error.rule,
    detail: error.message,
    ...(error.field === undefined ? {} : { field: error.field }),
  };
}

function mapEvent(
  event: EpcisEvent,
  index: number,
  clock: MappingClock,
  openReceipts: Map<string, ReceiptDraft>,
): Step {
  if (event.type === 'TransformationEvent' || event.type === 'AssociationEvent') {
    throw new Unmappable(
      'event-type-not-mapped',
      `${event.type} is not a shipment fact: the tracker maps ObjectEvent, AggregationEvent and TransactionEvent`,
      'type',
    );
  }
  if (Date.parse(event.eventTime) > clock.now + clock.maxClockSkewMs) {
    throw new Unmappable('event-time-in-future', futureRule(clock.maxClockSkewMs), 'eventTime');
  }
  if (event.errorDeclaration !== undefined) {
    throw new Unmappable(
      'error-declaration-not-supported',
      'error declarations (corrections of earlier events) are not applied: correct the record through the tracker routes',
      'errorDeclaration',
    );
  }
  const bizStep = event.bizStep === undefined ? undefined : cbvCode('bizStep', event.bizStep);
  const disposition =
    event.disposition === undefined ? undefined : cbvCode('disposition', event.disposition);
  const what = new EventReading(event);
  if (
    bizStep === 'destroying' ||
    (disposition !== undefined && (LOSS_DISPOSITIONS as readonly string[]).includes(disposition))
  ) {
    return done({
      kind: 'loss',
      loss: contract(ShipmentLostV1, {
        shipmentId: what.shipmentId(),
        quantity: what.quantity(true),
        reason: `EPCIS ${bizStep ?? 'event'}: ${disposition ?? 'destroyed'}`,
      }),
    });
  }
  switch (bizStep) {
    case 'shipping':
      return done(dispatchOf(event, what, disposition));
    case 'departing':
      return what.pledgeId() === undefined
        ? done(milestoneOf(event, what, 'in-transit'))
        : done({
            ...dispatchOf(event, what, disposition),
            kind: 'departure',
            milestone: milestoneOf(event, what, 'in-transit').milestone,
          });
    case 'arriving':
      return done(milestoneOf(event, what, milestoneStatus(event)));
    case 'receiving':
      return receivingOf(event, what, disposition, index);
    case 'inspecting':
      return inspectionOf(what, disposition, openReceipts);
    case undefined:
    default:
      throw new Unmappable(
        'biz-step-not-mapped',
        `bizStep ${bizStep ?? '(none)'} is not mapped: the tracker maps shipping, departing, arriving, receiving, inspecting and destroying`,
        'bizStep',
      );
  }
}

const done = (command: CaptureCommand): Step => ({ kind: 'done', command });

function dispatchOf(
  event: ShipmentEvent,
  what: EventReading,
  disposition?: string,
): Extract<CaptureCommand, { kind: 'dispatch' }> {
  if (disposition !== undefined && disposition !== 'in_transit') {
    throw new Unmappable(
      'disposition-not-mapped',
      `a dispatch is in_transit: disposition ${disposition} is not mapped for bizStep shipping or departing`,
      'disposition',
    );
  }
  if (event.action === 'DELETE') {
    throw new Unmappable('action-not-mapped', 'a dispatch is ADD or OBSERVE, not DELETE', 'action');
  }
  const pledgeId = what.pledgeId();
  if (pledgeId === undefined) {
    throw new Unmappable(
      'pledge-missing',
      `a dispatch names its pledge: a bizTransaction of type ${PLEDGE_BTT}`,
      'bizTransactionList',
    );
  }
  const lotIds = what.lotIds();
  const dispatch = contract(ShipmentDispatchedV1.omit({ itemCode: true, dispatchedBy: true }), {
    shipmentId: what.shipmentId(),
    pledgeId,
    quantity: what.quantity(true),
    origin: what.origin(),
    destination: what.destination(),
    dispatchedAt: event.eventTime,
    ...(lotIds.length === 0 ? {} : { lotIds }),
  });
  const itemCode = what.itemCode();
  const producer = what.producer();
  return {
    kind: 'dispatch',
    dispatch: itemCode === undefined ? dispatch : { ...dispatch, itemCode },
    ...(producer === undefined ? {} : { producer }),
  };
}

function milestoneStatus(event: ShipmentEvent): (typeof MILESTONE_STATUSES)[number] {
  const given = (event as Record<string, unknown>)[MILESTONE_EXTENSION];
  if (given === undefined) return 'at-hub';
  const status = MILESTONE_STATUSES.find((known) => known === given);
  if (status === undefined) {
    throw new Unmappable(
      'milestone-not-mapped',
      `must be one of ${MILESTONE_STATUSES.join(', ')}`,
      MILESTONE_EXTENSION,
    );
  }
  return status;
}

function milestoneOf(
  event: ShipmentEvent,
  what: EventReading,
  status: (typeof MILESTONE_STATUSES)[number],
): Extract<CaptureCommand, { kind: 'milestone' }> {
  const location = what.place();
  return {
    kind: 'milestone',
    milestone: contract(ShipmentMilestoneV1, {
      shipmentId: what.shipmentId(),
      status,
      at: event.eventTime,
      ...(location === undefined ? {} : { location }),
    }),
  };
}

function receivingOf(
  event: ShipmentEvent,
  what: EventReading,
  disposition: string | undefined,
  index: number,
): Step {
  // A receipt of nothing is not a receipt: goods that never arrived are reported as a loss.
  const received = what.quantity(true);
  const draft: ReceiptDraft = {
    index,
    shipmentId: what.shipmentId(),
    receivedAt: event.eventTime,
    received,
    accepted: 0,
    rejected: 0,
    judged: isJudgement(disposition),
    inspections: 0,
  };
  if (isJudgement(disposition)) {
    const reason = JUDGEMENTS[disposition];
    if (reason === undefined) draft.accepted = received;
    else Object.assign(draft, { rejected: received, reason });
  } else if (disposition !== undefined && disposition !== 'in_progress') {
    throw new Unmappable(
      'disposition-not-mapped',
      `a receipt is conformant, non_conformant or damaged (or in_progress, judged by inspecting events): disposition ${disposition} is not mapped`,
      'disposition',
    );
  }
  return { kind: 'receipt', draft };
}

function inspectionOf(
  what: EventReading,
  disposition: string | undefined,
  openReceipts: Map<string, ReceiptDraft>,
): Step {
  if (!isJudgement(disposition)) {
    throw new Unmappable(
      'inspection-not-judged',
      'an inspecting event judges goods: disposition conformant, non_conformant or damaged',
      'disposition',
    );
  }
  const shipmentId = what.shipmentId();
  const draft = openReceipts.get(shipmentId);
  if (draft === undefined) {
    throw new Unmappable(
      'inspection-without-receipt',
      `an inspecting event judges goods received: a receiving event of shipment ${shipmentId} without a judgement must come earlier in the document`,
      'bizStep',
    );
  }
  const quantity = what.quantity(true);
  const reason = JUDGEMENTS[disposition];
  if (reason === undefined) {
    draft.accepted += quantity;
  } else {
    if (draft.reason !== undefined && draft.reason !== reason) {
      throw new Unmappable(
        'one-rejection-reason',
        `a receipt has one rejection reason: ${draft.reason} was given before ${reason}`,
        'disposition',
      );
    }
    draft.rejected += quantity;
    draft.reason = reason;
  }
  draft.inspections += 1;
  return done({ kind: 'inspection', into: draft.index });
}

function receiptOf(draft: ReceiptDraft): ShipmentDeliveredV1 {
  return {
    shipmentId: draft.shipmentId,
    receivedQuantity: draft.received,
    acceptedQuantity: draft.accepted,
    rejectedQuantity: draft.rejected,
    receivedAt: draft.receivedAt,
    ...(draft.reason === undefined ? {} : { rejectionReason: draft.reason }),
  };
}

import { Inject, Injectable } from '@nestjs/common';
import { describeRole, Role } from '@tracker/config';
import { maxClockSkewMs, ShipmentMilestoneV1, TOPICS, TrackerEvent } from '@tracker/contracts';
import { DomainError, DomainErrorKind, NotFound, ViewLagging } from '@tracker/errors';
import { WriteRequest } from '@tracker/http';
import { EventFactory, Transaction, UnitOfWork, Written } from '@tracker/outbox';
import { v7 as uuidv7 } from 'uuid';
import { PledgesViewRepository } from '../pledges-view/pledges-view.repository';
import { owningProducer } from '../shipments/shipment.parties';
import { ShipmentService } from '../shipments/shipment.service';
import { CaptureResult, CaptureStatus, EpcisCaptureEntity } from './epcis-capture.entity';
import {
  EPCIS_CAPTURE_OPTIONS,
  EpcisCaptureOptions,
  EpcisCaptureWakeup,
} from './epcis-capture.options';
import { EpcisCaptureRepository } from './epcis-capture.repository';
import { EpcisDocument } from './epcis-document.schema';
import {
  DispatchDraft,
  EpcisErrorType,
  EventRefusal,
  mapDocument,
  MappedEvent,
} from './epcis.mapper';

/** The answer of `POST /epcis/capture`: the job to follow at `Location`. */
export interface CaptureAccepted {
  readonly id: string;
  readonly status: 'pending';
}

/** A capture job as `GET /epcis/capture/:id` shows it (EPCIS 2.0 capture job fields included). */
export interface CaptureJob {
  readonly id: string;
  readonly captureID: string;
  readonly status: CaptureStatus;
  readonly running: boolean;
  /** True once applied whole, false once refused whole; absent while pending. */
  readonly success?: boolean;
  readonly captureErrorBehaviour: 'rollback';
  readonly createdAt: string;
  readonly finishedAt?: string;
  readonly eventCount: number;
  readonly errors: readonly EventRefusal[];
  readonly events: readonly CaptureResult[];
  /** Why the document failed as a whole (an ImplementationException), when it did. */
  readonly failure?: { readonly errorType: 'ImplementationException'; readonly detail: string };
}

/** Attempts of a capture whose processing fails unexpectedly before it is given up. */
export const MAX_CAPTURE_ATTEMPTS = 5;

const ERROR_TYPE_OF_KIND: Record<DomainErrorKind, EpcisErrorType> = {
  rule: 'ValidationException',
  conflict: 'ValidationException',
  'not-found': 'ValidationException',
  forbidden: 'SecurityException',
  lagging: 'ImplementationException',
};

/** What applying a document came to. */
type Outcome =
  | { readonly kind: 'applied'; readonly results: CaptureResult[] }
  | { readonly kind: 'refused'; readonly refusals: EventRefusal[]; readonly lagging: boolean };

/**
 * EPCIS 2.0 capture (README, "EPCIS 2.0 capture"): a document is stored with its capturer and
 * answered 202; the worker then maps every event to a tracker command and applies them all
 * through ShipmentService's rules, under the capturer's role, in one transaction: every event
 * or none. Each event runs under a savepoint so that every refused event is found and reported,
 * then the whole document is rolled back.
 */
@Injectable()
export class EpcisCaptureService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly captures: EpcisCaptureRepository,
    private readonly shipments: ShipmentService,
    private readonly pledges: PledgesViewRepository,
    private readonly events: EventFactory,
    private readonly wakeup: EpcisCaptureWakeup,
    @Inject(EPCIS_CAPTURE_OPTIONS) private readonly options: EpcisCaptureOptions,
  ) {}

  /** Stores the document for the worker; the answer is durable (a 2xx survives a crash). */
  async capture(request: WriteRequest, document: EpcisDocument): Promise<Written<CaptureAccepted>> {
    const now = new Date();
    const capture: EpcisCaptureEntity = {
      captureId: uuidv7(),
      capturedBy: request.caller.role,
      document,
      eventCount: document.epcisBody.eventList.length,
      status: 'pending',
      errors: null,
      results: null,
      failure: null,
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      finishedAt: null,
    };
    const written = await this.unitOfWork.write(request, async (tx) => {
      await this.captures.insert(tx, capture);
      return { id: capture.captureId, status: 'pending' as const };
    });
    this.wakeup.notify();
    return written;
  }

  /** A capture job, to its capturer, admin and ops; 404 to anyone else, as for no such job. */
  async job(viewer: Role, captureId: string): Promise<CaptureJob> {
    const capture = await this.captures.find(captureId);
    const mayRead =
      viewer.kind === 'admin' ||
      viewer.kind === 'ops' ||
      (capture !== undefined && describeRole(capture.capturedBy) === describeRole(viewer));
    if (capture === undefined || !mayRead) throw new NotFound('capture', captureId);
    return jobOf(capture);
  }

  /**
   * Processes the oldest due capture, if any: true when one was processed (or put back for a
   * later attempt), false when none was due.
   */
  async processNext(): Promise<boolean> {
    let claimed: EpcisCaptureEntity | undefined;
    try {
      return await this.unitOfWork.run(async (tx) => {
        claimed = await this.captures.claimNext(tx);
        if (claimed === undefined) return false;
        await this.settle(tx, claimed, await this.apply(tx, claimed));
        return true;
      });
    } catch (error) {
      if (claimed === undefined) throw error;
      const attempts = claimed.attempts + 1;
      if (attempts >= MAX_CAPTURE_ATTEMPTS) {
        const reason = error instanceof Error ? error.message : String(error);
        await this.captures.giveUp(
          claimed.captureId,
          attempts,
          `processing failed ${attempts} times: ${reason}`,
        );
      } else {
        const delayMs = Math.min(this.options.retryMs * 2 ** claimed.attempts, 30_000);
        await this.captures.retryLater(claimed.captureId, attempts, delayMs);
      }
      throw error;
    }
  }

  /** Records the outcome, or puts the capture back while a view it needs lags within budget. */
  private async settle(
    tx: Transaction,
    capture: EpcisCaptureEntity,
    outcome: Outcome,
  ): Promise<void> {
    const finishedAt = new Date();
    if (outcome.kind === 'applied') {
      await this.captures.update(tx, capture.captureId, {
        status: 'succeeded',
        results: outcome.results,
        errors: [],
        finishedAt,
      });
      return;
    }
    const waited = finishedAt.getTime() - capture.createdAt.getTime();
    if (outcome.lagging && waited < this.options.laggingBudgetMs) {
      await this.captures.postpone(
        tx,
        capture.captureId,
        capture.attempts + 1,
        this.options.retryMs,
      );
      return;
    }
    await this.captures.update(tx, capture.captureId, {
      status: 'failed',
      errors: outcome.refusals,
      results: [],
      finishedAt,
    });
  }

  /** Applies every event, each under a savepoint; rolls all back when any was refused. */
  private async apply(tx: Transaction, capture: EpcisCaptureEntity): Promise<Outcome> {
    const role = capture.capturedBy;
    const mapped = mapDocument(EpcisDocument.parse(capture.document), {
      now: capture.createdAt.getTime(),
      maxClockSkewMs: maxClockSkewMs(),
    });
    const refusals = [...mapped.refusals];
    const results: CaptureResult[] = [];
    const published: TrackerEvent[] = [];
    let retriable = 0;
    await this.captures.savepoint(tx, 'epcis_capture');
    for (const event of mapped.events) {
      await this.captures.savepoint(tx, 'epcis_event');
      try {
        const { fact, note } = await this.applyEvent(tx, role, event);
        await this.captures.release(tx, 'epcis_event');
        if (fact !== undefined) published.push(fact);
        results.push(resultOf(event, fact, note));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await this.captures.rollbackTo(tx, 'epcis_event');
        if (error.retriable) retriable += 1;
        refusals.push(refusalOf(event, error));
      }
    }
    if (refusals.length > 0) {
      await this.captures.rollbackTo(tx, 'epcis_capture');
      refusals.sort((a, b) => a.index - b.index);
      // Only a document refused for nothing but lagging views may succeed when tried again.
      return { kind: 'refused', refusals, lagging: retriable === refusals.length };
    }
    for (const fact of published) tx.emit(fact);
    return { kind: 'applied', results };
  }

  /**
   * One event's command through the shipment rules, under the capturer's role. An eventID is
   * applied once per capturing party (`processed_events`, as `epcis:<role>:<eventID>`), so one
   * party cannot suppress another's event by taking its id first.
   */
  private async applyEvent(
    tx: Transaction,
    role: Role,
    event: MappedEvent,
  ): Promise<{ fact?: TrackerEvent; note?: string }> {
    const key = `epcis:${describeRole(role)}:${event.eventID}`;
    if (event.eventID !== undefined && !(await tx.firstDelivery(key))) {
      return { note: 'duplicate-event-id' };
    }
    const command = event.command;
    switch (command.kind) {
      case 'dispatch':
        return this.dispatch(tx, role, command);
      case 'departure':
        return (await this.shipments.isRecorded(tx, command.dispatch.shipmentId))
          ? this.milestone(tx, role, command.milestone)
          : this.dispatch(tx, role, command);
      case 'milestone':
        return this.milestone(tx, role, command.milestone);
      case 'receipt': {
        const applied = await this.shipments.applyDelivery(tx, role, command.receipt);
        return { fact: this.events.create('tracker.shipment.delivered.v1', applied.fact!) };
      }
      case 'loss': {
        const applied = await this.shipments.applyLoss(tx, role, command.loss);
        return { fact: this.events.create('tracker.shipment.lost.v1', applied.fact!) };
      }
      case 'inspection':
        return { note: `inspection-folded-into-event-${command.into}` };
    }
  }

  private async dispatch(
    tx: Transaction,
    role: Role,
    command: { readonly dispatch: DispatchDraft; readonly producer?: string },
  ): Promise<{ fact?: TrackerEvent; note?: string }> {
    const { itemCode, ...dispatch } = command.dispatch;
    const owner = owningProducer(role, command.producer);
    const applied = await this.shipments.applyDispatch(
      tx,
      role,
      { ...dispatch, itemCode: itemCode ?? (await this.pledgeItem(tx, dispatch.pledgeId)) },
      { owner, timeGiven: true },
    );
    return applied.fact === undefined
      ? { note: 'repeated-dispatch' }
      : { fact: this.events.create('tracker.shipment.dispatched.v1', applied.fact) };
  }

  private async milestone(
    tx: Transaction,
    role: Role,
    milestone: ShipmentMilestoneV1,
  ): Promise<{ fact: TrackerEvent }> {
    const applied = await this.shipments.applyMilestone(tx, role, milestone);
    return { fact: this.events.create('tracker.shipment.milestone.v1', applied.fact!) };
  }

  /** The item of a dispatch that names none: its pledge's. */
  private async pledgeItem(tx: Transaction, pledgeId: string): Promise<string> {
    const pledge = await this.pledges.find(tx, pledgeId);
    if (pledge === undefined) {
      throw new ViewLagging(
        `pledge ${pledgeId} is not known yet: shipment-service learns pledges from ${TOPICS.pledges} and may lag behind`,
        'pledgeId',
      );
    }
    return pledge.itemCode ?? 'UNKNOWN';
  }
}

function resultOf(event: MappedEvent, fact?: TrackerEvent, note?: string): CaptureResult {
  return {
    index: event.index,
    ...(event.eventID === undefined ? {} : { eventID: event.eventID }),
    ...(fact === undefined
      ? {}
      : { trackerEvent: { id: fact.id, type: fact.type, subject: fact.subject } }),
    ...(note === undefined ? {} : { note }),
  };
}

function refusalOf(event: MappedEvent, error: DomainError): EventRefusal {
  return {
    index: event.index,
    ...(event.eventID === undefined ? {} : { eventID: event.eventID }),
    errorType: ERROR_TYPE_OF_KIND[error.kind],
    rule: error.code,
    detail: error.message,
    ...(error.field === undefined ? {} : { field: error.field }),
  };
}

function jobOf(capture: EpcisCaptureEntity): CaptureJob {
  return {
    id: capture.captureId,
    captureID: capture.captureId,
    status: capture.status,
    running: capture.status === 'pending',
    ...(capture.status === 'pending' ? {} : { success: capture.status === 'succeeded' }),
    captureErrorBehaviour: 'rollback',
    createdAt: capture.createdAt.toISOString(),
    ...(capture.finishedAt === null ? {} : { finishedAt: capture.finishedAt.toISOString() }),
    eventCount: capture.eventCount,
    errors: capture.errors ?? [],
    events: capture.results ?? [],
    ...(capture.failure === null
      ? {}
      : { failure: { errorType: 'ImplementationException', detail: capture.failure } }),
  };
}

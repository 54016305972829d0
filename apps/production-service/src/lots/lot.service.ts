import { Injectable } from '@nestjs/common';
import { maySee, Viewer } from '@tracker/access';
import { LotCompletedV1 } from '@tracker/contracts';
import { Conflict, NotFound } from '@tracker/errors';
import { WriteRequest } from '@tracker/http';
import { EventFactory, Transaction, UnitOfWork, Written } from '@tracker/outbox';
import { checkProducerScope } from '../common/caller-scope';
import { lotFact } from '../common/read-scope';
import { sameContent, sameInstant } from '../common/same-content';
import { LotEntity, QaStatus } from './lot.entity';
import { LotRepository } from './lot.repository';
import { ChangeQaBody, ReportLotBody } from './lot.requests';

/** A lot as the API shows it: what was reported, its QA status, and what is left to allocate. */
export interface LotView {
  readonly lotId: string;
  readonly manufacturer: string;
  readonly facility: string;
  readonly itemCode: string;
  readonly quantity: number;
  readonly completedAt: string;
  readonly qaStatus: QaStatus;
  readonly allocated: number;
  readonly unallocated: number;
}

function view(lot: LotEntity, allocated: number): LotView {
  return {
    lotId: lot.lotId,
    manufacturer: lot.manufacturer,
    facility: lot.facility,
    itemCode: lot.itemCode,
    quantity: lot.quantity,
    completedAt: lot.completedAt.toISOString(),
    qaStatus: lot.qaStatus,
    allocated,
    unallocated: lot.quantity - allocated,
  };
}

/**
 * Completed lots and their QA status. `rejected` is final (a rejected lot is scrapped; a re-test
 * is a new lot), and a change to the status a lot already has is refused, so every
 * lot-qa-changed event is a real change.
 */
@Injectable()
export class LotService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly lots: LotRepository,
    private readonly events: EventFactory,
  ) {}

  /**
   * Records and publishes a completed lot. A repeat with a lot id already reported is answered
   * with the lot when its content is the same (nothing is published), 409 otherwise.
   */
  report(request: WriteRequest, input: ReportLotBody): Promise<Written<LotView>> {
    checkProducerScope(request.caller.role, input.manufacturer, 'lots');
    const report: LotCompletedV1 = {
      ...input,
      completedAt: input.completedAt ?? new Date().toISOString(),
    };
    return this.unitOfWork.write(request, async (tx) => {
      const entity = toEntity(report);
      if (await this.lots.insert(tx, entity)) {
        tx.emit(this.events.create('tracker.production.lot-completed.v1', report));
        return view(entity, 0);
      }
      return this.repeatedReport(tx, report, input.completedAt !== undefined);
    });
  }

  /** Holds, releases (`passed`) or rejects a lot of the caller's organisation. */
  changeQa(request: WriteRequest, lotId: string, input: ChangeQaBody): Promise<Written<LotView>> {
    return this.unitOfWork.write(request, async (tx) => {
      const lot = await this.lots.lock(tx, lotId);
      if (lot === undefined) throw new NotFound('lot', lotId);
      checkProducerScope(request.caller.role, lot.manufacturer, 'lots');
      if (lot.qaStatus === input.qaStatus) {
        throw new Conflict(
          'qa-status-unchanged',
          `lot ${lotId} is already ${input.qaStatus}`,
          'qaStatus',
        );
      }
      if (lot.qaStatus === 'rejected') {
        throw new Conflict(
          'lot-rejected',
          `lot ${lotId} was rejected; a rejected lot cannot be held or released`,
          'qaStatus',
        );
      }
      tx.emit(this.events.create('tracker.production.lot-qa-changed.v1', { lotId, ...input }));
      await this.lots.changeQaStatus(tx, lotId, input.qaStatus);
      return view({ ...lot, qaStatus: input.qaStatus }, await this.lots.allocated(tx, lotId));
    });
  }

  /** A lot, to its producer (and admin, ops); 404 to others, as if there were none. */
  async get(viewer: Viewer, lotId: string): Promise<LotView> {
    const record = await this.lots.find(lotId);
    if (record === undefined || !maySee(viewer, lotFact(record.lot))) {
      throw new NotFound('lot', lotId);
    }
    return view(record.lot, record.allocated);
  }

  private async repeatedReport(
    tx: Transaction,
    report: LotCompletedV1,
    completedAtGiven: boolean,
  ): Promise<LotView> {
    const existing = await this.lots.lock(tx, report.lotId);
    if (existing === undefined) throw new Error(`lot ${report.lotId} vanished while reported`);
    const recorded = existing.report as LotCompletedV1;
    const same =
      sameContent(recorded, report, ['completedAt']) &&
      (!completedAtGiven || sameInstant(recorded.completedAt, report.completedAt));
    if (!same) {
      throw new Conflict(
        'lot-exists',
        `lot ${report.lotId} was already reported with other content`,
        'lotId',
      );
    }
    return view(existing, await this.lots.allocated(tx, report.lotId));
  }
}

function toEntity(report: LotCompletedV1): LotEntity {
  const entity = new LotEntity();
  entity.lotId = report.lotId;
  entity.manufacturer = report.manufacturer;
  entity.facility = report.facility;
  entity.itemCode = report.itemCode;
  entity.quantity = report.quantity;
  entity.completedAt = new Date(report.completedAt);
  entity.qaStatus = report.qaStatus;
  entity.report = report;
  entity.updatedAt = new Date();
  return entity;
}

import { Injectable } from '@nestjs/common';
import { Fact, maySee, Viewer } from '@tracker/access';
import { AllocatedV1 } from '@tracker/contracts';
import { Conflict, NotFound, RuleViolation, ViewLagging } from '@tracker/errors';
import { WriteRequest } from '@tracker/http';
import { EventFactory, Transaction, UnitOfWork, Written } from '@tracker/outbox';
import { v7 as uuidv7 } from 'uuid';
import { checkProducerScope } from '../common/caller-scope';
import { allocationFact, lotFact } from '../common/read-scope';
import { LotEntity, QaStatus } from '../lots/lot.entity';
import { LotRepository } from '../lots/lot.repository';
import { PledgesViewRepository } from '../pledges-view/pledges-view.repository';
import { AllocationEntity } from './allocation.entity';
import { AllocationRepository } from './allocation.repository';
import { AllocateBody } from './allocation.requests';

/** An allocation as the API shows it: the published payload. */
export type AllocationView = AllocatedV1;

function view(allocation: AllocatedV1 | AllocationEntity): AllocationView {
  return {
    allocationId: allocation.allocationId,
    lotId: allocation.lotId,
    pledgeId: allocation.pledgeId,
    quantity: allocation.quantity,
  };
}

/**
 * An allocation to a pledge as its listing shows it: when it was made, the producer of its lot,
 * and the lot itself (its facility, completion and QA status) only to a viewer who may see the
 * lot, a commercial fact of its producer; null to the pledge's donor and recipient.
 */
export interface PledgeAllocationEntry extends AllocationView {
  readonly allocatedAt: string;
  readonly producer: string | null;
  readonly lot: {
    readonly facility: string;
    readonly quantity: number;
    readonly completedAt: string;
    readonly qaStatus: QaStatus;
  } | null;
}

/**
 * Earmarks lot quantity for pledges. The lot's row is locked first (allocations are keyed by
 * lot, so its events follow commit order), then the pledge's row in the view, so two allocations
 * to one pledge from different lots serialise on the pledge and never deadlock.
 */
@Injectable()
export class AllocationService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly allocations: AllocationRepository,
    private readonly lots: LotRepository,
    private readonly pledges: PledgesViewRepository,
    private readonly events: EventFactory,
  ) {}

  /**
   * Allocates part of a released lot to a known, active pledge of the same item, within what is
   * left of both. A repeat with an allocation id already recorded is answered with that
   * allocation when its content is the same (nothing is published), 409 otherwise.
   */
  allocate(request: WriteRequest, input: AllocateBody): Promise<Written<AllocationView>> {
    const allocation: AllocatedV1 = { ...input, allocationId: input.allocationId ?? uuidv7() };
    return this.unitOfWork.write(request, async (tx) => {
      const lot = await this.lots.lock(tx, allocation.lotId);
      if (lot === undefined) {
        throw new RuleViolation(
          'lot-unknown',
          `lot ${allocation.lotId} was never reported`,
          'lotId',
        );
      }
      checkProducerScope(request.caller.role, lot.manufacturer, 'allocations');
      const earlier = await this.allocations.get(tx, allocation.allocationId);
      if (earlier !== undefined) return repeated(earlier, allocation);
      await this.checkLot(tx, lot, allocation.quantity);
      await this.checkPledge(tx, lot, allocation);
      if (!(await this.allocations.insert(tx, toEntity(allocation)))) {
        // The same id, committed meanwhile by an allocation from another lot.
        const concurrent = await this.allocations.get(tx, allocation.allocationId);
        if (concurrent === undefined) {
          throw new Error(`allocation ${allocation.allocationId} vanished while allocated`);
        }
        return repeated(concurrent, allocation);
      }
      tx.emit(this.events.create('tracker.production.allocated.v1', allocation));
      return view(allocation);
    });
  }

  /**
   * An allocation, to the producer of its lot and its pledge's donor and recipient (and admin,
   * ops); 404 to others, as if there were none.
   */
  async get(viewer: Viewer, allocationId: string): Promise<AllocationView> {
    const allocation = await this.allocations.find(allocationId);
    if (allocation === undefined || !maySee(viewer, await this.factOf(allocation))) {
      throw new NotFound('allocation', allocationId);
    }
    return view(allocation);
  }

  /**
   * The allocations to a pledge the viewer may see (as {@link get} decides for each): all of them
   * to admin, ops and the pledge's donor and recipient, a producer's own to a producer, none to
   * anyone else; an unknown pledge has none.
   */
  async ofPledge(viewer: Viewer, pledgeId: string): Promise<{ items: PledgeAllocationEntry[] }> {
    const pledge = (await this.pledges.find(pledgeId))?.pledge;
    const lots = new Map<string, LotEntity | undefined>();
    const items: PledgeAllocationEntry[] = [];
    for (const allocation of await this.allocations.ofPledge(pledgeId)) {
      if (!lots.has(allocation.lotId)) {
        lots.set(allocation.lotId, (await this.lots.find(allocation.lotId))?.lot);
      }
      const lot = lots.get(allocation.lotId);
      if (!maySee(viewer, allocationFact(pledge, lot))) continue;
      items.push({
        ...view(allocation),
        allocatedAt: allocation.allocatedAt.toISOString(),
        producer: lot?.manufacturer ?? null,
        lot:
          lot === undefined || !maySee(viewer, lotFact(lot))
            ? null
            : {
                facility: lot.facility,
                quantity: lot.quantity,
                completedAt: lot.completedAt.toISOString(),
                qaStatus: lot.qaStatus,
              },
      });
    }
    return { items };
  }

  /** Whose an allocation is: its lot's producer, its pledge's donor and recipient. */
  private async factOf(allocation: AllocationEntity): Promise<Fact> {
    const lot = await this.lots.find(allocation.lotId);
    const pledge = await this.pledges.find(allocation.pledgeId);
    return allocationFact(pledge?.pledge, lot?.lot);
  }

  private async checkLot(tx: Transaction, lot: LotEntity, quantity: number): Promise<void> {
    if (lot.qaStatus === 'hold') {
      throw new Conflict(
        'lot-on-hold',
        `lot ${lot.lotId} is on QA hold; release it (qaStatus passed) before allocating`,
        'lotId',
      );
    }
    if (lot.qaStatus === 'rejected') {
      throw new Conflict(
        'lot-rejected',
        `lot ${lot.lotId} was rejected by QA and cannot be allocated`,
        'lotId',
      );
    }
    const unallocated = lot.quantity - (await this.lots.allocated(tx, lot.lotId));
    if (quantity > unallocated) {
      throw new RuleViolation(
        'quantity-exceeds-unallocated',
        `quantity ${quantity} exceeds the ${unallocated} units of lot ${lot.lotId} not yet allocated`,
        'quantity',
      );
    }
  }

  private async checkPledge(tx: Transaction, lot: LotEntity, allocation: AllocatedV1) {
    const { pledgeId, quantity } = allocation;
    const pledge = await this.pledges.lock(tx, pledgeId);
    if (pledge === undefined) {
      throw new ViewLagging(
        `pledge ${pledgeId} is not known yet: production-service learns pledges from ` +
          'tracker.pledges.v1 and its view may lag behind; retry shortly',
        'pledgeId',
      );
    }
    if (pledge.status === 'cancelled') {
      throw new Conflict(
        'pledge-cancelled',
        `pledge ${pledgeId} is cancelled and takes no allocations`,
        'pledgeId',
      );
    }
    if (pledge.itemCode !== lot.itemCode) {
      throw new RuleViolation(
        'item-mismatch',
        `lot ${lot.lotId} is of ${lot.itemCode} but pledge ${pledgeId} is for ${pledge.itemCode}`,
        'pledgeId',
      );
    }
    const allocated = await this.pledges.allocated(tx, pledgeId);
    if (quantity > pledge.quantity - allocated) {
      throw new RuleViolation(
        'quantity-exceeds-pledge',
        `quantity ${quantity} exceeds the ${Math.max(0, pledge.quantity - allocated)} units of ` +
          `pledge ${pledgeId} not yet allocated (pledged ${pledge.quantity}, allocated ${allocated})`,
        'quantity',
      );
    }
  }
}

function repeated(recorded: AllocationEntity, repeat: AllocatedV1): AllocationView {
  const same =
    recorded.lotId === repeat.lotId &&
    recorded.pledgeId === repeat.pledgeId &&
    recorded.quantity === repeat.quantity;
  if (!same) {
    throw new Conflict(
      'allocation-exists',
      `allocation ${repeat.allocationId} was already made with other content`,
      'allocationId',
    );
  }
  return view(recorded);
}

function toEntity(allocation: AllocatedV1): AllocationEntity {
  const entity = new AllocationEntity();
  entity.allocationId = allocation.allocationId;
  entity.lotId = allocation.lotId;
  entity.pledgeId = allocation.pledgeId;
  entity.quantity = allocation.quantity;
  entity.allocatedAt = new Date();
  return entity;
}

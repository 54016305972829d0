import { Injectable } from '@nestjs/common';
import { maySee, Viewer } from '@tracker/access';
import { EventOnTopic, TOPICS } from '@tracker/contracts';
import { NotFound, ViewLagging } from '@tracker/errors';
import { Transaction, UnitOfWork } from '@tracker/outbox';
import { pledgeAllocationsFact } from '../common/read-scope';
import { PledgeViewStatus } from './pledge-view.entity';
import { PledgesViewRepository } from './pledges-view.repository';

type PledgeEvent = EventOnTopic<typeof TOPICS.pledges>;

/**
 * A pledge as production-service sees it: its public fields, and what is allocated to it for
 * those who may see its operations.
 */
export interface PledgeAllocationView {
  readonly pledgeId: string;
  readonly donor: string;
  readonly recipient: string | null;
  readonly itemCode: string;
  readonly quantity: number;
  readonly status: PledgeViewStatus;
  readonly allocated?: number;
  readonly unallocated?: number;
}

/**
 * Keeps production-service's view of pledges from tracker.pledges.v1. A pledge's events share
 * its key, so they arrive in order; an amendment or cancellation of a pledge the view does not
 * have yet is retried (ViewLagging) rather than lost.
 */
@Injectable()
export class PledgesViewService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly view: PledgesViewRepository,
  ) {}

  /** Applies one pledge event once (re-deliveries are recognised by event id). */
  apply(event: PledgeEvent): Promise<void> {
    return this.unitOfWork.run((tx) => this.applyIn(tx, event));
  }

  /** Applies a fetched batch of pledge events in one transaction, each once. */
  applyAll(events: readonly PledgeEvent[]): Promise<void> {
    return this.unitOfWork.run(async (tx) => {
      for (const event of events) await this.applyIn(tx, event);
    });
  }

  private async applyIn(tx: Transaction, event: PledgeEvent): Promise<void> {
    if (!(await tx.firstDelivery(event.id))) return;
    if (event.type === 'tracker.pledge.announced.v1') {
      await this.view.recordAnnounced(tx, event.data);
    } else if (event.type === 'tracker.pledge.amended.v1') {
      await this.known(tx, event.data.pledgeId);
      if (event.data.quantity !== undefined) {
        await this.view.update(tx, event.data.pledgeId, { quantity: event.data.quantity });
      }
    } else if (event.type === 'tracker.pledge.cancelled.v1') {
      await this.known(tx, event.data.pledgeId);
      await this.view.update(tx, event.data.pledgeId, { status: 'cancelled' });
    }
  }

  /**
   * A pledge, public to every token; its `allocated` and `unallocated` only to those who may see
   * its operations (admin, ops, its donor and recipient, the producers allocated to it).
   */
  async get(viewer: Viewer, pledgeId: string): Promise<PledgeAllocationView> {
    const record = await this.view.find(pledgeId);
    if (record === undefined) throw new NotFound('pledge', pledgeId);
    const { pledge, allocated, producers } = record;
    const announced = {
      pledgeId: pledge.pledgeId,
      donor: pledge.donor,
      recipient: pledge.recipient,
      itemCode: pledge.itemCode,
      quantity: pledge.quantity,
      status: pledge.status,
    };
    if (!maySee(viewer, pledgeAllocationsFact(pledge, producers))) return announced;
    return { ...announced, allocated, unallocated: Math.max(0, pledge.quantity - allocated) };
  }

  private async known(tx: Transaction, pledgeId: string): Promise<void> {
    if ((await this.view.lock(tx, pledgeId)) === undefined) {
      throw new ViewLagging(`pledge ${pledgeId} is not known yet to production-service`);
    }
  }
}

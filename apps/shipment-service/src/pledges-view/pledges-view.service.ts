import { Injectable } from '@nestjs/common';
import { EventOnTopic, TOPICS } from '@tracker/contracts';
import { Transaction, UnitOfWork } from '@tracker/outbox';
import { PledgesViewRepository } from './pledges-view.repository';

/** An event of tracker.pledges.v1. */
export type PledgeEvent = EventOnTopic<typeof TOPICS.pledges>;

/**
 * Keeps shipment-service's view of pledges: which exist, of which item and quantity, whose they
 * are (donor and recipient), and which are cancelled.
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
    if (!(await tx.firstDelivery(`${TOPICS.pledges}:${event.id}`))) return;
    switch (event.type) {
      case 'tracker.pledge.announced.v1':
        await this.view.recordAnnounced(tx, event.data);
        return;
      case 'tracker.pledge.amended.v1':
        if (event.data.quantity !== undefined) {
          await this.view.recordAmended(tx, event.data.pledgeId, event.data.quantity);
        }
        return;
      case 'tracker.pledge.cancelled.v1':
        await this.view.recordCancelled(tx, event.data.pledgeId);
        return;
      case 'tracker.programme.declared.v1':
        // A programme's target says nothing about what may be shipped against a pledge.
        return;
    }
  }
}

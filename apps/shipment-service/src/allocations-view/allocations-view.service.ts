import { Injectable } from '@nestjs/common';
import { EventOnTopic, TOPICS } from '@tracker/contracts';
import { Transaction, UnitOfWork } from '@tracker/outbox';
import { AllocationsViewRepository } from './allocations-view.repository';

/** An event of tracker.production.v1. */
export type ProductionEvent = EventOnTopic<typeof TOPICS.production>;

/**
 * Keeps shipment-service's view of lots and allocations: who made each lot and what of it is
 * allocated to which pledge. Capacity and QA changes are not its business.
 */
@Injectable()
export class AllocationsViewService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly view: AllocationsViewRepository,
  ) {}

  /** Applies one production event once (re-deliveries are recognised by event id). */
  apply(event: ProductionEvent): Promise<void> {
    return this.unitOfWork.run((tx) => this.applyIn(tx, event));
  }

  /** Applies a fetched batch of production events in one transaction, each once. */
  applyAll(events: readonly ProductionEvent[]): Promise<void> {
    return this.unitOfWork.run(async (tx) => {
      for (const event of events) await this.applyIn(tx, event);
    });
  }

  private async applyIn(tx: Transaction, event: ProductionEvent): Promise<void> {
    switch (event.type) {
      case 'tracker.production.lot-completed.v1':
        if (await tx.firstDelivery(`${TOPICS.production}:${event.id}`)) {
          await this.view.recordLot(tx, event.data.lotId, event.data.manufacturer);
        }
        return;
      case 'tracker.production.allocated.v1':
        if (await tx.firstDelivery(`${TOPICS.production}:${event.id}`)) {
          if (!(await this.view.recordAllocation(tx, event.data))) {
            throw new Error(
              `allocation ${event.data.allocationId} names lot ${event.data.lotId}, which tracker.production.v1 never completed`,
            );
          }
        }
        return;
      case 'tracker.production.capacity-declared.v1':
      case 'tracker.production.lot-qa-changed.v1':
        return;
    }
  }
}

import { Module } from '@nestjs/common';
import { AllocationsViewConsumer } from './allocations-view.consumer';
import { AllocationsViewRepository } from './allocations-view.repository';
import { AllocationsViewService } from './allocations-view.service';

/**
 * shipment-service's view of lots and allocations, fed by tracker.production.v1; read by the
 * dispatch rules (a producer ships only what it allocated).
 */
@Module({
  providers: [AllocationsViewConsumer, AllocationsViewRepository, AllocationsViewService],
  exports: [AllocationsViewRepository],
})
export class AllocationsViewModule {}

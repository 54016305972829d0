import { Module } from '@nestjs/common';
import { PledgesViewConsumer } from './pledges-view.consumer';
import { PledgesViewRepository } from './pledges-view.repository';
import { PledgesViewService } from './pledges-view.service';

/** shipment-service's view of pledges, fed by tracker.pledges.v1; read by the dispatch rules. */
@Module({
  providers: [PledgesViewConsumer, PledgesViewRepository, PledgesViewService],
  exports: [PledgesViewRepository],
})
export class PledgesViewModule {}

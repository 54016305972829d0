import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PledgeViewEntity } from './pledge-view.entity';
import { PledgesViewConsumer } from './pledges-view.consumer';
import { PledgesViewController } from './pledges-view.controller';
import { PledgesViewRepository } from './pledges-view.repository';
import { PledgesViewService } from './pledges-view.service';

@Module({
  imports: [TypeOrmModule.forFeature([PledgeViewEntity])],
  controllers: [PledgesViewController],
  providers: [PledgesViewConsumer, PledgesViewRepository, PledgesViewService],
  exports: [PledgesViewRepository],
})
export class PledgesViewModule {}

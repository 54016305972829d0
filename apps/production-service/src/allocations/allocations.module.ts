import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LotsModule } from '../lots/lots.module';
import { PledgesViewModule } from '../pledges-view/pledges-view.module';
import { AllocationController } from './allocation.controller';
import { AllocationEntity } from './allocation.entity';
import { AllocationRepository } from './allocation.repository';
import { AllocationService } from './allocation.service';

@Module({
  imports: [TypeOrmModule.forFeature([AllocationEntity]), LotsModule, PledgesViewModule],
  controllers: [AllocationController],
  providers: [AllocationService, AllocationRepository],
})
export class AllocationsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AllocationsViewModule } from '../allocations-view/allocations-view.module';
import { PledgesViewModule } from '../pledges-view/pledges-view.module';
import { ShipmentController } from './shipment.controller';
import { ShipmentEntity } from './shipment.entity';
import { ShipmentRepository } from './shipment.repository';
import { ShipmentService } from './shipment.service';

@Module({
  imports: [TypeOrmModule.forFeature([ShipmentEntity]), PledgesViewModule, AllocationsViewModule],
  controllers: [ShipmentController],
  providers: [ShipmentService, ShipmentRepository],
  exports: [ShipmentService],
})
export class ShipmentsModule {}

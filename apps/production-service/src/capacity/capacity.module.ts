import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CapacityController } from './capacity.controller';
import { CapacityEntity } from './capacity.entity';
import { CapacityRepository } from './capacity.repository';
import { CapacityService } from './capacity.service';

@Module({
  imports: [TypeOrmModule.forFeature([CapacityEntity])],
  controllers: [CapacityController],
  providers: [CapacityService, CapacityRepository],
})
export class CapacityModule {}

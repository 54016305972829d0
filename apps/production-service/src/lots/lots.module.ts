import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LotController } from './lot.controller';
import { LotEntity } from './lot.entity';
import { LotRepository } from './lot.repository';
import { LotService } from './lot.service';

@Module({
  imports: [TypeOrmModule.forFeature([LotEntity])],
  controllers: [LotController],
  providers: [LotService, LotRepository],
  exports: [LotRepository],
})
export class LotsModule {}

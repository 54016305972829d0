import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PledgeController } from './pledge.controller';
import { PledgeEntity } from './pledge.entity';
import { PledgeRepository } from './pledge.repository';
import { PledgeService } from './pledge.service';

@Module({
  imports: [TypeOrmModule.forFeature([PledgeEntity])],
  controllers: [PledgeController],
  providers: [PledgeService, PledgeRepository],
})
export class PledgesModule {}

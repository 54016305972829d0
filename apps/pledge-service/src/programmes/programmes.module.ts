import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProgrammeController } from './programme.controller';
import { ProgrammeEntity } from './programme.entity';
import { ProgrammeRepository } from './programme.repository';
import { ProgrammeService } from './programme.service';

@Module({
  imports: [TypeOrmModule.forFeature([ProgrammeEntity])],
  controllers: [ProgrammeController],
  providers: [ProgrammeService, ProgrammeRepository],
})
export class ProgrammesModule {}

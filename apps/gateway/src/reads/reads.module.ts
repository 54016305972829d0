import { Module } from '@nestjs/common';
import { ReadsController } from './reads.controller';
import { ReadsService } from './reads.service';

/** REST reads of the read model: `/v1/overview`, donors, items, live pledges, alerts. */
@Module({ controllers: [ReadsController], providers: [ReadsService] })
export class ReadsModule {}

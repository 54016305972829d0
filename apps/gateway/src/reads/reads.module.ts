import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ReadsController } from './reads.controller';
import { ReadsService } from './reads.service';

/** REST reads of the read model: `/v1/overview`, donors, items, live pledges, alerts. */
@Module({ imports: [AccessModule], controllers: [ReadsController], providers: [ReadsService] })
export class ReadsModule {}

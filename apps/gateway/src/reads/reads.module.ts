import { Module } from '@nestjs/common';
import { MeController } from './me.controller';
import { ReadsController } from './reads.controller';
import { ReadsService } from './reads.service';

/**
 * REST reads of the read model: `/v1/overview`, donors, items, live pledges, alerts; and
 * `/v1/me`, the caller's view.
 */
@Module({ controllers: [ReadsController, MeController], providers: [ReadsService] })
export class ReadsModule {}

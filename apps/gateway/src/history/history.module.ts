import { Module } from '@nestjs/common';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';

/** `GET /v1/pledges/:id/history`: the events behind a pledge's figures. */
@Module({ controllers: [HistoryController], providers: [HistoryService] })
export class HistoryModule {}

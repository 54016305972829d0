import { Module } from '@nestjs/common';
import { ChangeFeed } from './change-feed';
import { LiveGateway } from './live.gateway';
import { LiveMetrics } from './live.metrics';
import { LiveService } from './live.service';

/** Socket.IO `/live`: the change feed of this instance, sessions and their fan-out. */
@Module({ providers: [ChangeFeed, LiveService, LiveGateway, LiveMetrics] })
export class LiveModule {}

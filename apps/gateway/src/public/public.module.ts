import { Module } from '@nestjs/common';
import { PUBLIC_CLOCK } from './public-clock';
import { PublicController } from './public.controller';
import { PublicRateLimitGuard } from './public-rate-limit.guard';
import { PublicViewService } from './public-view.service';

/** `GET /public/v1/summary` and `/public/v1/pledges`: the delayed public view, no token. */
@Module({
  controllers: [PublicController],
  providers: [
    PublicViewService,
    PublicRateLimitGuard,
    { provide: PUBLIC_CLOCK, useValue: Date.now },
  ],
})
export class PublicModule {}

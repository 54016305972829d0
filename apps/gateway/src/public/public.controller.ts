import { Controller, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Public, validQuery } from '@tracker/http';
import { PUBLIC_PLEDGE_STATUSES } from '@tracker/read-model';
import type { Request, Response } from 'express';
import { PROBLEM_RESPONSE } from '../reads/read-schemas';
import { sendCacheable } from './cacheable';
import { PublicRateLimitGuard } from './public-rate-limit.guard';
import {
  answerSchema,
  PublicPledgesAnswer,
  PublicPledgesFilter,
  PublicPledgesQuery,
  PublicSummaryAnswer,
} from './public-schemas';
import { PublicViewService } from './public-view.service';

/** Public answers may be kept by any cache for a minute: the cutoff moves by whole minutes. */
const CACHE_CONTROL = 'public, max-age=60';

/**
 * The public view, without a token: pledges as announced, their status and the totals of
 * pledged and delivered, as recorded at least `PUBLIC_DELAY_DAYS` ago. Nothing operational.
 * Every answer carries a strong `ETag` (a hash of the body) and is answered 304 when
 * `If-None-Match` names it.
 */
@ApiTags('public')
@ApiNotModifiedResponse({ description: 'If-None-Match names the current ETag' })
@ApiTooManyRequestsResponse(PROBLEM_RESPONSE)
@UseGuards(PublicRateLimitGuard)
@Controller('public/v1')
export class PublicController {
  constructor(private readonly view: PublicViewService) {}

  @Get('summary')
  @Public()
  @ApiOperation({ summary: 'Pledged and delivered per donor, item and month (delayed)' })
  @ApiOkResponse(answerSchema(PublicSummaryAnswer, 'Rows by donor, item, month; their totals'))
  async summary(@Req() request: Request, @Res() response: Response): Promise<void> {
    sendCacheable(request, response, await this.view.summary(), CACHE_CONTROL);
  }

  @Get('pledges')
  @Public()
  @ApiOperation({ summary: 'Pledges as announced, with status and delivered (delayed, paged)' })
  @ApiQuery({ name: 'donor', required: false, example: 'DE' })
  @ApiQuery({ name: 'itemCode', required: false, example: 'AMMO-155MM' })
  @ApiQuery({ name: 'status', required: false, enum: PUBLIC_PLEDGE_STATUSES })
  @ApiQuery({ name: 'after', required: false, description: 'the `next` of the previous page' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  })
  @ApiOkResponse(answerSchema(PublicPledgesAnswer, 'A page of pledges in pledgeId order'))
  @ApiBadRequestResponse(PROBLEM_RESPONSE)
  async pledges(
    @Req() request: Request,
    @Res() response: Response,
    @Query(validQuery(PublicPledgesQuery)) query: PublicPledgesFilter,
  ): Promise<void> {
    sendCacheable(request, response, await this.view.pledges(query), CACHE_CONTROL);
  }
}

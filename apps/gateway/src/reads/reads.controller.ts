import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Caller, CurrentCaller, Reads } from '@tracker/http';
import { ReadsService } from './reads.service';
import { channelValueSchema, PROBLEM_RESPONSE } from './read-schemas';

const AT_A_TIME =
  'forwarded to time travel (apps/projection-service README, "Time travel"); exactly one of asOf and knownAt, else 422';

/**
 * `?asOf=` and `?knownAt=`: the same read at a time. The gateway forwards such a request to time
 * travel before it reaches this controller (forward/time-travel-routes.ts); documented here.
 */
const AsOfQuery = ApiQuery({
  name: 'asOf',
  required: false,
  description: `RFC 3339: what had happened by then (event time), as known now; ${AT_A_TIME}`,
  example: '2026-06-30T23:59:59Z',
});
const KnownAtQuery = ApiQuery({
  name: 'knownAt',
  required: false,
  description: `RFC 3339: exactly what the tracker showed then (recording time); ${AT_A_TIME}`,
  example: '2026-06-30T23:59:59Z',
});

/** The gateway's own reads of the live picture; everything else under /v1 is forwarded. */
@ApiTags('reads')
@ApiBearerAuth()
@ApiUnauthorizedResponse(PROBLEM_RESPONSE)
@Controller('v1')
export class ReadsController {
  constructor(private readonly reads: ReadsService) {}

  @Get('overview')
  @AsOfQuery
  @KnownAtQuery
  @Reads('public', 'operational')
  @ApiOperation({ summary: 'Totals and pledge counts over every pledge (channel overview)' })
  @ApiOkResponse(channelValueSchema('overview'))
  @ApiNotFoundResponse(PROBLEM_RESPONSE)
  overview(@CurrentCaller() caller: Caller): Promise<unknown> {
    return this.reads.read(caller.role, 'overview');
  }

  @Get('donors/:country')
  @AsOfQuery
  @KnownAtQuery
  @Reads('public', 'operational')
  @ApiOperation({ summary: 'One donor, with its per-item breakdown (channel donor:<CC>)' })
  @ApiParam({ name: 'country', example: 'DE', description: 'ISO 3166-1 alpha-2, upper case' })
  @ApiOkResponse(channelValueSchema('donor'))
  @ApiNotFoundResponse(PROBLEM_RESPONSE)
  donor(@CurrentCaller() caller: Caller, @Param('country') country: string): Promise<unknown> {
    return this.reads.read(caller.role, `donor:${country}`);
  }

  @Get('items/:code')
  @AsOfQuery
  @KnownAtQuery
  @Reads('public', 'operational', 'national', 'commercial')
  @ApiOperation({
    summary: 'One item: demand, declared capacity (estimate), production, stockpiles',
  })
  @ApiParam({ name: 'code', example: 'AMMO-155MM' })
  @ApiOkResponse(channelValueSchema('item'))
  @ApiNotFoundResponse(PROBLEM_RESPONSE)
  item(@CurrentCaller() caller: Caller, @Param('code') code: string): Promise<unknown> {
    return this.reads.read(caller.role, `item:${code}`);
  }

  @Get('pledges/:id/live')
  @AsOfQuery
  @KnownAtQuery
  @Reads('public', 'operational')
  @ApiOperation({
    summary: 'One pledge as projected: quantities, status, forecast (estimate), days late',
  })
  @ApiOkResponse(channelValueSchema('pledge'))
  @ApiNotFoundResponse(PROBLEM_RESPONSE)
  pledge(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<unknown> {
    return this.reads.read(caller.role, `pledge:${id}`);
  }

  @Get('programmes/:id/live')
  @Reads('public')
  @ApiOperation({
    summary:
      'One aid programme against its target: pledged, delivered, shortfall, monthly series, forecast (estimate)',
  })
  @ApiParam({ name: 'id', example: 'EU-1M-SHELLS' })
  @ApiOkResponse(channelValueSchema('programme'))
  @ApiNotFoundResponse(PROBLEM_RESPONSE)
  programme(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<unknown> {
    return this.reads.read(caller.role, `programme:${id}`);
  }

  @Get('alerts')
  @Reads('public', 'operational', 'national', 'commercial')
  @ApiOperation({
    summary: 'Open alerts, oldest first (each caller sees those it may: README, Who sees what)',
  })
  @ApiOkResponse(channelValueSchema('alerts'))
  alerts(@CurrentCaller() caller: Caller): Promise<unknown> {
    return this.reads.read(caller.role, 'alerts');
  }
}

import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PledgeAnnouncedV1 } from '@tracker/contracts';
import {
  Caller,
  CurrentCaller,
  JsonBody,
  Reads,
  Roles,
  Write,
  WriteRequest,
  validParam,
  validQuery,
} from '@tracker/http';
import {
  AmendPledgeBody,
  AmendPledgeRequest,
  AnnouncePledgeBody,
  AnnouncePledgeRequest,
  CancelPledgeBody,
  CancelPledgeRequest,
  ListPledgesFilter,
  ListPledgesQuery,
} from './pledge.requests';
import { PledgeService } from './pledge.service';

const pledgeId = validParam(PledgeAnnouncedV1.shape.pledgeId, 'id');

@ApiTags('pledges')
@ApiBearerAuth()
@Controller('v1/pledges')
export class PledgeController {
  constructor(private readonly pledges: PledgeService) {}

  @Post()
  @Roles('admin', 'donor')
  @ApiOperation({ summary: 'Announce a pledge (honours Idempotency-Key)' })
  @JsonBody(AnnouncePledgeRequest)
  announce(@Write(201) request: WriteRequest, @Body() body: AnnouncePledgeBody) {
    return this.pledges.announce(request, body);
  }

  @Patch(':id')
  @Roles('admin', 'donor')
  @ApiOperation({ summary: 'Amend the quantity or target date of a pledge, with a reason' })
  @JsonBody(AmendPledgeRequest)
  amend(
    @Write(200) request: WriteRequest,
    @Param('id', pledgeId) id: string,
    @Body() body: AmendPledgeBody,
  ) {
    return this.pledges.amend(request, id, body);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('admin', 'donor')
  @ApiOperation({ summary: 'Cancel a pledge, with a reason' })
  @JsonBody(CancelPledgeRequest)
  cancel(
    @Write(200) request: WriteRequest,
    @Param('id', pledgeId) id: string,
    @Body() body: CancelPledgeBody,
  ) {
    return this.pledges.cancel(request, id, body);
  }

  @Get(':id')
  @Reads('public')
  @ApiOperation({ summary: 'A pledge as recorded (system of record)' })
  get(@CurrentCaller() caller: Caller, @Param('id', pledgeId) id: string) {
    return this.pledges.get(caller.role, id);
  }

  @Get()
  @Reads('public')
  @ApiOperation({ summary: 'Pledges by donor, item and status, in id order (page with `after`)' })
  list(
    @CurrentCaller() caller: Caller,
    @Query(validQuery(ListPledgesQuery)) query: ListPledgesFilter,
  ) {
    return this.pledges.list(caller.role, query);
  }
}

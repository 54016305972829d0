import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LotCompletedV1 } from '@tracker/contracts';
import {
  Caller,
  CurrentCaller,
  JsonBody,
  Reads,
  Roles,
  Write,
  WriteRequest,
  validParam,
} from '@tracker/http';
import { ChangeQaBody, ChangeQaRequest, ReportLotBody, ReportLotRequest } from './lot.requests';
import { LotService } from './lot.service';

const lotId = validParam(LotCompletedV1.shape.lotId, 'id');

@ApiTags('lots')
@ApiBearerAuth()
@Controller('v1/lots')
export class LotController {
  constructor(private readonly lots: LotService) {}

  @Post()
  @Roles('admin', 'producer')
  @ApiOperation({ summary: 'Report a completed lot (honours Idempotency-Key)' })
  @JsonBody(ReportLotRequest)
  report(@Write(201) request: WriteRequest, @Body() body: ReportLotBody) {
    return this.lots.report(request, body);
  }

  @Post(':id/qa')
  @HttpCode(200)
  @Roles('admin', 'producer')
  @ApiOperation({ summary: "Change a lot's QA status: hold, passed (release) or rejected (final)" })
  @JsonBody(ChangeQaRequest)
  changeQa(
    @Write(200) request: WriteRequest,
    @Param('id', lotId) id: string,
    @Body() body: ChangeQaBody,
  ) {
    return this.lots.changeQa(request, id, body);
  }

  @Get(':id')
  @Reads('commercial')
  @ApiOperation({ summary: 'A lot with its QA status and allocated / unallocated quantity' })
  get(@CurrentCaller() caller: Caller, @Param('id', lotId) id: string) {
    return this.lots.get(caller.role, id);
  }
}

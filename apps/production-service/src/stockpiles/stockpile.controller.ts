import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StockpileLevelReportedV1 } from '@tracker/contracts';
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
import { ReportStockpileBody, ReportStockpileRequest } from './stockpile.requests';
import { StockpileService } from './stockpile.service';

@ApiTags('stockpiles')
@ApiBearerAuth()
@Controller('v1/stockpiles')
export class StockpileController {
  constructor(private readonly stockpiles: StockpileService) {}

  @Post()
  @Roles('admin', 'donor', 'recipient')
  @ApiOperation({
    summary: "Report a nation's stockpile level of an item (honours Idempotency-Key)",
  })
  @JsonBody(ReportStockpileRequest)
  report(@Write(201) request: WriteRequest, @Body() body: ReportStockpileBody) {
    return this.stockpiles.report(request, body);
  }

  @Get(':nation/:itemCode')
  @Reads('national')
  @ApiOperation({ summary: "The latest reported level of a nation's stockpile of an item" })
  get(
    @CurrentCaller() caller: Caller,
    @Param('nation', validParam(StockpileLevelReportedV1.shape.nation, 'nation'))
    nation: string,
    @Param('itemCode', validParam(StockpileLevelReportedV1.shape.itemCode, 'itemCode'))
    itemCode: string,
  ) {
    return this.stockpiles.get(caller.role, nation, itemCode);
  }
}

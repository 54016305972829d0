import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PledgeAnnouncedV1 } from '@tracker/contracts';
import { Caller, CurrentCaller, Reads, validParam } from '@tracker/http';
import { PledgesViewService } from './pledges-view.service';

@ApiTags('pledges-view')
@ApiBearerAuth()
@Controller('v1/pledges-view')
export class PledgesViewController {
  constructor(private readonly pledges: PledgesViewService) {}

  @Get(':id')
  @Reads('public', 'operational')
  @ApiOperation({
    summary: "A pledge as production-service's view of tracker.pledges.v1 has it, with allocations",
  })
  get(
    @CurrentCaller() caller: Caller,
    @Param('id', validParam(PledgeAnnouncedV1.shape.pledgeId, 'id')) id: string,
  ) {
    return this.pledges.get(caller.role, id);
  }
}

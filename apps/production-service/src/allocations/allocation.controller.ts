import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllocatedV1 } from '@tracker/contracts';
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
import { AllocateBody, AllocateRequest } from './allocation.requests';
import { AllocationService } from './allocation.service';

@ApiTags('allocations')
@ApiBearerAuth()
@Controller('v1/allocations')
export class AllocationController {
  constructor(private readonly allocations: AllocationService) {}

  @Post()
  @Roles('admin', 'producer')
  @ApiOperation({
    summary: 'Allocate lot quantity (passed QA) to a pledge (honours Idempotency-Key)',
  })
  @JsonBody(AllocateRequest)
  allocate(@Write(201) request: WriteRequest, @Body() body: AllocateBody) {
    return this.allocations.allocate(request, body);
  }

  @Get(':id')
  @Reads('operational')
  @ApiOperation({ summary: 'An allocation as recorded' })
  get(
    @CurrentCaller() caller: Caller,
    @Param('id', validParam(AllocatedV1.shape.allocationId, 'id')) id: string,
  ) {
    return this.allocations.get(caller.role, id);
  }
}

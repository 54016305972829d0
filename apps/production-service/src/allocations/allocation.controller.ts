import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
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
  validQuery,
} from '@tracker/http';
import {
  AllocateBody,
  AllocateRequest,
  ListAllocationsFilter,
  ListAllocationsQuery,
} from './allocation.requests';
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

  @Get()
  @Reads('operational', 'commercial')
  @ApiOperation({
    summary:
      "A pledge's allocations the caller may see, oldest first, each with its lot's producer (`?pledgeId=`); the lot's facility and QA status only to its producer, admin and ops",
  })
  @ApiQuery({ name: 'pledgeId', required: true, description: "The pledge's id" })
  list(
    @CurrentCaller() caller: Caller,
    @Query(validQuery(ListAllocationsQuery)) query: ListAllocationsFilter,
  ) {
    return this.allocations.ofPledge(caller.role, query.pledgeId);
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

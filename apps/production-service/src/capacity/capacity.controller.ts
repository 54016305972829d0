import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CapacityDeclaredV1 } from '@tracker/contracts';
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
import { DeclareCapacityBody, DeclareCapacityRequest } from './capacity.requests';
import { CapacityService } from './capacity.service';

@ApiTags('capacity')
@ApiBearerAuth()
@Controller('v1/capacity')
export class CapacityController {
  constructor(private readonly capacity: CapacityService) {}

  @Post()
  @Roles('admin', 'producer')
  @ApiOperation({ summary: "Declare a line's monthly capacity (honours Idempotency-Key)" })
  @JsonBody(DeclareCapacityRequest)
  declare(@Write(201) request: WriteRequest, @Body() body: DeclareCapacityBody) {
    return this.capacity.declare(request, body);
  }

  @Get(':id')
  @Reads('commercial')
  @ApiOperation({ summary: 'A capacity declaration as recorded' })
  get(
    @CurrentCaller() caller: Caller,
    @Param('id', validParam(CapacityDeclaredV1.shape.capacityId, 'id')) id: string,
  ) {
    return this.capacity.get(caller.role, id);
  }
}

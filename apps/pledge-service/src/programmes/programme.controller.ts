import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProgrammeDeclaredV1 } from '@tracker/contracts';
import { JsonBody, Reads, Roles, validParam, Write, WriteRequest } from '@tracker/http';
import { DeclareProgrammeBody, DeclareProgrammeRequest } from './programme.requests';
import { ProgrammeService } from './programme.service';

const programmeId = validParam(ProgrammeDeclaredV1.shape.programmeId, 'id');

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('v1/programmes')
export class ProgrammeController {
  constructor(private readonly programmes: ProgrammeService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary:
      'Declare an aid programme (target quantity of one item by a deadline); declaring it again with other content replaces the declaration',
  })
  @JsonBody(DeclareProgrammeRequest)
  declare(@Write(201) request: WriteRequest, @Body() body: DeclareProgrammeBody) {
    return this.programmes.declare(request, body);
  }

  @Get(':id')
  @Reads('public')
  @ApiOperation({ summary: 'A programme as declared (system of record)' })
  get(@Param('id', programmeId) id: string) {
    return this.programmes.get(id);
  }

  @Get()
  @Reads('public')
  @ApiOperation({ summary: 'Every programme, in id order' })
  list() {
    return this.programmes.list();
  }
}

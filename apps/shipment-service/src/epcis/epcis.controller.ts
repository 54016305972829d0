import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EntityId } from '@tracker/contracts';
import {
  Caller,
  CurrentCaller,
  Reads,
  Roles,
  validParam,
  Write,
  WriteRequest,
} from '@tracker/http';
import type { Response } from 'express';
import { EpcisDocument } from './epcis-document.schema';
import { EpcisCaptureService } from './epcis-capture.service';
import { CAPTURE_ERROR_BEHAVIOUR, EpcisDocumentBody, requireRollback } from './epcis-document.pipe';

@ApiTags('epcis')
@ApiBearerAuth()
@Controller('epcis/capture')
export class EpcisController {
  constructor(private readonly captures: EpcisCaptureService) {}

  @Post()
  @HttpCode(202)
  @Roles('admin', 'producer', 'donor', 'recipient')
  @ApiOperation({
    summary:
      'Capture an EPCIS 2.0 document: 202 with Location of the capture job; applied whole or not at all, under the caller’s scope (honours Idempotency-Key)',
  })
  @EpcisDocumentBody()
  capture(
    @Write(202) request: WriteRequest,
    @Body() document: EpcisDocument,
    @Res({ passthrough: true }) response: Response,
    @Headers(CAPTURE_ERROR_BEHAVIOUR) behaviour: string | undefined,
  ) {
    requireRollback(behaviour);
    return this.captures.capture(request, document).then((written) => {
      response.setHeader('Location', `/epcis/capture/${written.body.id}`);
      return written;
    });
  }

  @Get(':id')
  @Reads('operational')
  @ApiOperation({
    summary:
      'A capture job: pending, succeeded (the tracker events produced) or failed (each refused event, its EPCIS error type and the rule it broke)',
  })
  job(@CurrentCaller() caller: Caller, @Param('id', validParam(EntityId, 'id')) id: string) {
    return this.captures.job(caller.role, id);
  }
}

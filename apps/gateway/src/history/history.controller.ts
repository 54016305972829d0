import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { HISTORY_FIELDS } from '@tracker/read-model';
import { Caller, CurrentCaller, Reads } from '@tracker/http';
import { PROBLEM_RESPONSE } from '../reads/read-schemas';
import { HistoryService, PledgeHistoryAnswer } from './history.service';

const change = {
  type: 'object',
  properties: { before: {}, after: {} },
  required: ['before', 'after'],
};

/** The answer's shape (PledgeHistoryEntry in libs/read-model pledge-history.ts). */
const HISTORY_RESPONSE = {
  description:
    'The events behind the pledge’s figures, in the order the tracker applied them: each with who reported it, when it happened (`time`), when the tracker recorded it (`recordedAt`), its source, confidence, data class, reason and what it changed (before → after). The changes of every figure add up to the pledge’s live value.',
  schema: {
    type: 'object',
    required: ['pledgeId', 'view', 'entries'],
    properties: {
      pledgeId: { type: 'string' },
      view: { type: 'string', enum: ['full', 'public'] },
      entries: {
        type: 'array',
        items: {
          type: 'object',
          required: [
            'seq',
            'eventId',
            'type',
            'source',
            'reportedBy',
            'time',
            'recordedAt',
            'confidence',
            'class',
            'changes',
          ],
          properties: {
            seq: { type: 'integer' },
            eventId: { type: 'string' },
            type: { type: 'string', example: 'tracker.shipment.delivery-corrected.v1' },
            source: { type: 'string' },
            reportedBy: { type: 'string', nullable: true, example: 'recipient:UA' },
            time: { type: 'string', format: 'date-time' },
            recordedAt: { type: 'string', format: 'date-time' },
            confidence: { type: 'string', nullable: true, example: 'confirmed' },
            class: { type: 'string', enum: ['public', 'operational'] },
            reason: { type: 'string' },
            shipmentId: { type: 'string' },
            includes: { type: 'array', items: { type: 'string' } },
            changes: {
              type: 'object',
              properties: Object.fromEntries(HISTORY_FIELDS.map((field) => [field, change])),
            },
          },
        },
      },
    },
  },
};

/** The history of a pledge: the events behind its figures (issue 18, part 1). */
@ApiTags('reads')
@ApiBearerAuth()
@ApiUnauthorizedResponse(PROBLEM_RESPONSE)
@Controller('v1')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get('pledges/:id/history')
  @Reads('public', 'operational')
  @ApiOperation({
    summary:
      'The events behind a pledge’s figures, in order (amendments, cancellations and corrections as such)',
  })
  @ApiParam({ name: 'id', description: 'The pledge id' })
  @ApiOkResponse(HISTORY_RESPONSE)
  @ApiNotFoundResponse(PROBLEM_RESPONSE)
  pledgeHistory(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
  ): Promise<PledgeHistoryAnswer> {
    return this.history.history(caller.role, id);
  }
}

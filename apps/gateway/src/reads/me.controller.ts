import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Caller, CurrentCaller, Reads } from '@tracker/http';
import { ViewScope, viewScopeOf } from '../access/view-scope';
import { PROBLEM_RESPONSE } from './read-schemas';

/** `GET /v1/me`: which view the caller's token gets, for the dashboard to say so. */
@ApiTags('reads')
@ApiBearerAuth()
@ApiUnauthorizedResponse(PROBLEM_RESPONSE)
@Controller('v1')
export class MeController {
  @Get('me')
  @Reads('public')
  @ApiOperation({ summary: 'The caller’s role and what it sees, in one sentence' })
  @ApiOkResponse({
    description: 'The view: `full` (admin, ops) or `own` (a party: its own facts whole)',
    schema: {
      type: 'object',
      required: ['role', 'view', 'description'],
      properties: {
        role: { type: 'string', example: 'donor:DE' },
        view: { type: 'string', enum: ['full', 'own'] },
        description: {
          type: 'string',
          example:
            "Donor DE: your pledges and their operations in full; everyone else's public picture",
        },
      },
    },
  })
  me(@CurrentCaller() caller: Caller): ViewScope {
    return viewScopeOf(caller.role);
  }
}

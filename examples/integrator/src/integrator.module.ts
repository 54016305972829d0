import { DynamicModule, Module } from '@nestjs/common';
import { PledgeEventsController } from './pledge-events.controller';
import { PledgeStatusService } from './pledge-status.service';
import { LoggerStatusLog, STATUS_LOG, StatusLog } from './status-log';

@Module({})
export class IntegratorModule {
  /** @param log where status lines go; the Nest logger unless given. */
  static forRoot(log: StatusLog = new LoggerStatusLog()): DynamicModule {
    return {
      module: IntegratorModule,
      controllers: [PledgeEventsController],
      providers: [PledgeStatusService, { provide: STATUS_LOG, useValue: log }],
    };
  }
}

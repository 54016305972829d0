import { Logger } from '@nestjs/common';

/** Where the integrator writes its lines: the Nest logger by default, a collector in tests. */
export interface StatusLog {
  /** One readable line per status change. */
  change(line: string): void;
  /** An event refused as breaking the contract, with the reason. */
  refused(line: string): void;
}

export const STATUS_LOG = Symbol('STATUS_LOG');

/** Writes through Nest's logger (JSON-free, one line each). */
export class LoggerStatusLog implements StatusLog {
  private readonly logger = new Logger('PledgeStatus');

  change(line: string): void {
    this.logger.log(line);
  }

  refused(line: string): void {
    this.logger.warn(line);
  }
}

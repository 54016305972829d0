import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  EPCIS_CAPTURE_OPTIONS,
  EpcisCaptureOptions,
  EpcisCaptureWakeup,
} from './epcis-capture.options';
import { EpcisCaptureService } from './epcis-capture.service';

/**
 * Processes stored captures one at a time: woken when this process stores one, and polling for
 * the rest (captures left pending by a restart, by another instance, or put back for a later
 * attempt). A capture is claimed with `for update skip locked`, so instances share the work.
 */
@Injectable()
export class EpcisCaptureWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private notified = false;

  constructor(
    private readonly captures: EpcisCaptureService,
    private readonly wakeup: EpcisCaptureWakeup,
    private readonly logger: PinoLogger,
    @Inject(EPCIS_CAPTURE_OPTIONS) private readonly options: EpcisCaptureOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.worker) return;
    this.running = true;
    this.wakeup.listen(() => {
      this.notified = true;
      this.wake?.();
    });
    this.loop = this.run();
  }

  /** Stops before the database connections close, letting a capture in progress finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        while (this.running && (await this.captures.processNext()));
      } catch (error) {
        this.logger.error({ err: error }, 'EPCIS capture processing failed; retried later');
      }
      await this.sleep(this.options.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running || this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

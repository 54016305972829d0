import { Injectable } from '@nestjs/common';

/** How the capture worker runs; tests shorten the waits and may hold the worker back. */
export interface EpcisCaptureOptions {
  /** False: captures are stored but not processed (a test of processing after a restart). */
  readonly worker: boolean;
  /** How often the worker looks for due captures besides being woken by a new one. */
  readonly pollMs: number;
  /** How long a capture waiting for a lagging view (a pledge not known yet) is retried. */
  readonly laggingBudgetMs: number;
  /** The wait between two attempts of a capture that met a lagging view or a failure. */
  readonly retryMs: number;
}

export const EPCIS_CAPTURE_OPTIONS = Symbol('EPCIS_CAPTURE_OPTIONS');

/** Defaults: a poll a second; a lagging view waited for up to 30 s, retried every 500 ms. */
export const DEFAULT_EPCIS_CAPTURE_OPTIONS: EpcisCaptureOptions = {
  worker: true,
  pollMs: 1000,
  laggingBudgetMs: 30_000,
  retryMs: 500,
};

/** Wakes the capture worker of this process when a capture was stored. */
@Injectable()
export class EpcisCaptureWakeup {
  private listener?: () => void;

  listen(listener: () => void): void {
    this.listener = listener;
  }

  notify(): void {
    this.listener?.();
  }
}

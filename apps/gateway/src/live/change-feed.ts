import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { ReadModelReader } from '@tracker/read-model';
import { READ_MODEL } from '../read-model/read-model.module';
import { ChangeRound } from './change-round';

/** What the change feed tells the live service. */
export interface ChangeFeedListener {
  /** A round of new updates; called in stream order, never concurrently. */
  onRound(round: ChangeRound): void;
  /** The stream's history was lost (new epoch); `cursor` is where the feed now stands. */
  onReset(cursor: string): void;
}

/** How long one tail read waits for news before it asks again. */
const TAIL_BLOCK_MS = 1000;
/** Most raw updates one read takes; a larger backlog is read over several rounds. */
const TAIL_BATCH = 10_000;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2000;

/**
 * This gateway instance's own follower of the read model's change stream. Every instance tails
 * the stream itself, so no state is shared between them and a client's cursor means the same on
 * all. Rounds are at least `1 / LIVE_MAX_UPDATES_PER_SECOND` apart: under load each round merges
 * a channel's changes to its latest value, which is what caps the update rate per channel.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly listeners: ChangeFeedListener[] = [];
  private readonly minIntervalMs: number;
  private cursor?: string;
  private running = false;
  private wakeStop?: () => void;

  constructor(
    @Inject(READ_MODEL) private readonly reader: ReadModelReader,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.minIntervalMs = 1000 / config.live.maxUpdatesPerSecond;
  }

  /** Where the feed stands: every update up to here has been handed to the listeners. */
  get position(): string {
    if (this.cursor === undefined) throw new Error('the change feed has not started');
    return this.cursor;
  }

  listen(listener: ChangeFeedListener): void {
    this.listeners.push(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.cursor = (await this.reader.snapshot([])).cursor;
    this.running = true;
    void this.follow();
  }

  // Not waiting for a tail read in flight: it returns within TAIL_BLOCK_MS (or fails when the
  // tail's connection closes) and its result is dropped.
  onApplicationShutdown(): void {
    this.running = false;
    this.wakeStop?.();
  }

  private async follow(): Promise<void> {
    let retryMs = RETRY_MIN_MS;
    while (this.running) {
      const startedAt = Date.now();
      try {
        const outcome = await this.readOnce();
        // A stream that resets again at once (no epoch yet, a rebuild switching) is asked again
        // after a pause, not in a tight loop.
        if (outcome === 'reset') {
          await this.pause(retryMs);
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
          continue;
        }
        retryMs = RETRY_MIN_MS;
        if (outcome === 'round') await this.pause(this.minIntervalMs - (Date.now() - startedAt));
      } catch (error) {
        if (!this.running) return;
        this.logger.warn(`change stream read failed, retrying in ${retryMs} ms: ${String(error)}`);
        await this.pause(retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    }
  }

  /** One tail read, and what came of it. */
  private async readOnce(): Promise<'idle' | 'round' | 'reset'> {
    const from = this.position;
    const result = await this.reader.tail(from, TAIL_BLOCK_MS, TAIL_BATCH);
    if (!this.running) return 'idle';
    if ('reset' in result) {
      const cursor = (await this.reader.snapshot([])).cursor;
      this.cursor = cursor;
      this.logger.warn('change stream history lost (new epoch): resetting every subscriber');
      for (const listener of this.listeners) listener.onReset(cursor);
      return 'reset';
    }
    this.cursor = result.cursor;
    if (result.updates.length === 0) return 'idle';
    const round = new ChangeRound(from, result.cursor, result.updates);
    for (const listener of this.listeners) listener.onRound(round);
    return 'round';
  }

  private pause(ms: number): Promise<void> {
    if (ms <= 0 || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeStop = done;
    });
  }
}

import { PinoLogger } from 'nestjs-pino';

/** Something the application starts in the background and stops on shutdown. */
export interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `target` in the background of the application's start: while Kafka or Redis are away
 * it retries with a backoff of 200 ms doubling to 5 s (the HTTP probes answer, not ready,
 * meanwhile), and gives up once `stopping()` says the application is shutting down, stopping
 * whatever started late.
 */
export async function startWithRetries(
  target: Startable,
  logger: PinoLogger,
  what: string,
  stopping: () => boolean,
): Promise<void> {
  for (let delay = 200; !stopping(); delay = Math.min(delay * 2, 5000)) {
    try {
      await target.start();
      if (stopping()) await target.stop();
      return;
    } catch (error) {
      logger.warn({ err: error }, `${what} could not start; retrying`);
      await target.stop();
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

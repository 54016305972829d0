import pino from 'pino';
import { CliUsageError, parseCliArguments, type CliArguments } from './server/cli-args';
import { startBroker } from './server/start-broker';

/**
 * `npm run broker -- --port 9092 --data-dir <dir>`: runs the embedded broker in the foreground
 * until SIGINT or SIGTERM, then stops it gracefully (flushing every log). Exit codes: 0 after a
 * signal, 1 when the broker cannot start, 2 for a bad command line.
 */
async function main(argv: readonly string[]): Promise<number> {
  let args: CliArguments;
  try {
    args = parseCliArguments(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`kafka-broker: ${error.message}\n`);
    return 2;
  }
  const logger = pino({ level: args.logLevel });
  let broker;
  try {
    broker = await startBroker({ ...args.options, logger });
  } catch (error) {
    logger.fatal({ err: error }, 'kafka broker failed to start');
    return 1;
  }
  const running = broker;
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'stopping kafka broker');
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      void running.stop().then(resolve);
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`kafka-broker: ${String(error)}\n`);
    process.exitCode = 1;
  },
);

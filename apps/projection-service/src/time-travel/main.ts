import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig } from '@tracker/config';
import { createService } from '@tracker/platform';
import { TimeTravelAppModule } from './time-travel.module';

/** The time-travel process's port when `PORT` is not set (the projection's own is 3004). */
export const TIME_TRAVEL_PORT = 3006;

/**
 * `node dist/apps/projection-service/src/time-travel/main.js`: the time-travel process (README,
 * "Time travel"), a second entry point of projection-service with its configuration. It runs
 * apart from the live projection so that folding for a query never holds up the live fold.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig('projection-service');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`time-travel: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }
  const port = process.env.PORT ? config.port : TIME_TRAVEL_PORT;
  const app = await createService((c) => TimeTravelAppModule.forRoot(c), { ...config, port });
  await app.listen(port, config.host ?? '127.0.0.1');
}

void main();

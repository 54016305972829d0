import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig, TIME_TRAVEL_PORT } from '@tracker/config';
import { createService } from '@tracker/platform';
import { TimeTravelAppModule } from './time-travel.module';

/**
 * `node dist/apps/projection-service/src/time-travel/main.js`: the time-travel process (README,
 * "Time travel"), a second entry point of projection-service with its configuration. It runs
 * apart from the live projection so that folding for a query never holds up the live fold.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig('projection-service', undefined, TIME_TRAVEL_PORT);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`time-travel: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }
  const app = await createService((c) => TimeTravelAppModule.forRoot(c), config);
  await app.listen(config.port, config.host ?? '127.0.0.1');
}

void main();

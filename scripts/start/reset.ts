import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataRootOf } from './data-root';
import { runningAsRoot, stagingDirFor } from './postgres-layout';
import { runningLauncher } from './run-lock';

/**
 * `npm run reset`: deletes everything `npm start` keeps between runs — the data folder (`.data/`
 * or `TRACKER_DATA_DIR`: Kafka, Redis, and Postgres when not root) and, as root, its staged
 * Postgres binaries and data.
 */
const checkout = join(__dirname, '..', '..');
const dataRoot = dataRootOf(checkout, process.env);
const say = (line: string) => process.stdout.write(`[reset] ${line}\n`);

function main(): number {
  const running = runningLauncher(dataRoot);
  if (running !== undefined) {
    process.stderr.write(
      `[reset] npm start is running in this checkout (pid ${running}); stop it first (Ctrl-C)\n`,
    );
    return 1;
  }
  const staged = stagingDirFor(dataRoot);
  for (const folder of [dataRoot, staged]) {
    if (!existsSync(folder)) continue;
    if (folder === staged && !runningAsRoot()) {
      say(
        `${staged} holds this data folder's Postgres from a run as root; sudo npm run reset removes it`,
      );
      continue;
    }
    rmSync(folder, { recursive: true, force: true });
    say(`removed ${folder}`);
  }
  say('the next npm start begins with empty Kafka, Redis and Postgres');
  return 0;
}

process.exitCode = main();

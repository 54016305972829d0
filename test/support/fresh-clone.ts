import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const repository = join(__dirname, '..', '..');

/**
 * What a new user gets from `git clone` into `mktemp -d` followed by `npm ci`: the repository's
 * files (tracked, and new ones not yet committed) in a fresh folder that only its owner may
 * enter (mkdtemp makes it 0700), with node_modules as a symlink to this checkout's install.
 *
 * With `serverBuild`, also this checkout's compiled server code, as `npm run build:server` leaves
 * it in dist/ (the caller makes sure it is up to date), so that `npm start` there runs the
 * compiled services without building them again in every run.
 */
export async function freshClone(
  prefix: string,
  { serverBuild = false }: { serverBuild?: boolean } = {},
): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: repository,
      encoding: 'utf8',
    },
  )
    .split('\0')
    .filter((file) => file !== '' && file !== 'node_modules');
  for (const file of files) {
    const source = join(repository, file);
    // A file deleted in the working tree but still in the index is not part of the clone.
    if (!existsSync(source)) continue;
    mkdirSync(dirname(join(folder, file)), { recursive: true });
    copyFileSync(source, join(folder, file));
  }
  symlinkSync(realpathSync(join(repository, 'node_modules')), join(folder, 'node_modules'));
  if (serverBuild) {
    // Copied after the sources, its stamp is newer than they are there too. The dashboard is left
    // out: the launcher builds it there, as in any fresh clone.
    const dashboard = join(repository, 'dist', 'apps', 'gateway', 'dashboard');
    cpSync(join(repository, 'dist'), join(folder, 'dist'), {
      recursive: true,
      filter: (source) => source !== dashboard,
    });
  }
  return folder;
}

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Written into dist/ after a successful server build (`npm run build` or the launcher's) and dated
 * when that build started, so that a source saved while it ran still counts as newer.
 */
export const BUILD_STAMP = join('dist', '.server-build');

/** What tsconfig.build.json compiles (`include`), and the files that change how it compiles. */
const SOURCE_ROOTS = ['apps', 'libs'];
const SCRIPTS = 'scripts';
const isConfig = (name: string) =>
  (name.startsWith('tsconfig') && name.endsWith('.json')) || name === 'package-lock.json';
/** What it leaves out (`exclude`): tests and test helpers, whose changes need no new build. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'test', 'testing']);
const isSource = (name: string) =>
  name.endsWith('.ts') && !/\.(spec|int-spec|testing)\.ts$/.test(name);

/** The first source file under `folder` modified after `since` (ms), if any. */
function newerSource(folder: string, since: number): string | undefined {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_FOLDERS.has(entry.name)) continue;
      const found = newerSource(path, since);
      if (found !== undefined) return found;
    } else if (isSource(entry.name) && statSync(path).mtimeMs > since) {
      return path;
    }
  }
  return undefined;
}

function inputFolders(checkout: string): string[] {
  const sources = SOURCE_ROOTS.flatMap((root) =>
    readdirSync(join(checkout, root), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name))
      .map((entry) => join(checkout, root, entry.name, 'src')),
  );
  return [...sources, join(checkout, SCRIPTS)].filter((folder) => existsSync(folder));
}

/** The first build input modified after `since` (ms), if any. */
function changedInput(checkout: string, since: number): string | undefined {
  for (const name of readdirSync(checkout)) {
    const path = join(checkout, name);
    if (isConfig(name) && statSync(path).mtimeMs > since) return path;
  }
  for (const folder of inputFolders(checkout)) {
    const found = newerSource(folder, since);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Why the compiled server code in dist/ cannot be run as it is: no build yet, or an input newer
 * than the last build (named, relative to the checkout); undefined when it is up to date.
 */
export function staleBuildReason(checkout: string): string | undefined {
  const stamp = join(checkout, BUILD_STAMP);
  if (!existsSync(stamp)) return 'no build yet';
  const changed = changedInput(checkout, statSync(stamp).mtimeMs);
  return changed === undefined ? undefined : `${relative(checkout, changed)} changed`;
}

/** Runs a Node script of node_modules; its output when it fails, undefined when it succeeds. */
function runTool(checkout: string, script: string[], args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(checkout, 'node_modules', ...script), ...args], {
      cwd: checkout,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const stream of [child.stdout, child.stderr])
      stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve(error.message));
    child.on('close', (code) => resolve(code === 0 ? undefined : output.trim() || `exit ${code}`));
  });
}

/**
 * The server build: tsc, then tsc-alias to turn the `@tracker/*` imports into relative paths,
 * then the stamp. Resolves to the failing tool's output, or undefined when the build succeeded.
 */
export async function buildServer(checkout: string): Promise<string | undefined> {
  const startedAt = new Date();
  const project = ['-p', join(checkout, 'tsconfig.build.json')];
  const failure =
    (await runTool(checkout, ['typescript', 'bin', 'tsc'], project)) ??
    (await runTool(checkout, ['tsc-alias', 'dist', 'bin', 'index.js'], project));
  if (failure !== undefined) return failure;
  const stamp = join(checkout, BUILD_STAMP);
  writeFileSync(stamp, `server build of ${startedAt.toISOString()}\n`);
  utimesSync(stamp, startedAt, startedAt);
  return undefined;
}

/**
 * Builds the server code into dist/ when it is missing or older than its sources, so that the
 * services run compiled JavaScript (no compiler, no inline source maps in their memory). Resolves
 * to whether dist/ can be run; a failed build is reported and the caller runs from source.
 */
export async function ensureCompiled(
  checkout: string,
  log: (line: string) => void,
): Promise<boolean> {
  const stale = staleBuildReason(checkout);
  if (stale === undefined) return true;
  const since = Date.now();
  log(`server code         building into dist/ (${stale})`);
  const failure = await buildServer(checkout);
  if (failure === undefined) {
    log(`server code         built in ${((Date.now() - since) / 1000).toFixed(1)} s`);
    return true;
  }
  log(
    'server code         build failed, so the services run from source; npm run build:server shows ' +
      `why. Its last lines:\n  ${failure.split('\n').slice(-20).join('\n  ')}`,
  );
  return false;
}

/**
 * Node's arguments to run `entry`, a `.ts` path relative to the checkout: its compiled JavaScript
 * in dist/, or the source compiled as it loads (`@swc-node/register`).
 */
export function entryArguments(checkout: string, entry: string, compiled: boolean): string[] {
  return compiled
    ? [join(checkout, 'dist', entry.replace(/\.ts$/, '.js'))]
    : ['-r', '@swc-node/register', join(checkout, entry)];
}

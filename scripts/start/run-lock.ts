import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Another launcher already runs on this checkout's data. */
export class AlreadyRunningError extends Error {
  constructor(pid: number, what: string) {
    super(`npm start is already running in this checkout (pid ${pid}); ${what}`);
    this.name = 'AlreadyRunningError';
  }
}

const lockFile = (dataRoot: string) => join(dataRoot, 'launcher.pid');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the launcher running on `dataRoot`, if one is. */
export function runningLauncher(dataRoot: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile(dataRoot), 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
}

/**
 * Claims `dataRoot` for this process: two brokers or two Postgres servers on the same files would
 * corrupt them. Returns the release function; a lock left by a process that died is taken over.
 */
export function acquireRunLock(dataRoot: string): () => void {
  const other = runningLauncher(dataRoot);
  if (other !== undefined) throw new AlreadyRunningError(other, 'stop it first (Ctrl-C there)');
  writeFileSync(lockFile(dataRoot), `${process.pid}\n`);
  return () => {
    if (runningLauncher(dataRoot) === undefined) rmSync(lockFile(dataRoot), { force: true });
  };
}

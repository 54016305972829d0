import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { lineView, LineView } from './terminal';

/** How a child ended: its exit code, or the signal that ended it. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ChildOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Run as this user and group (the launcher runs Postgres as `postgres` when it is root). */
  readonly uid?: number;
  readonly gid?: number;
  /** What of each output line to print (default: the terminal's view, `terminal.ts`); false: none. */
  readonly echo?: LineView | false;
}

/** Lines kept per child, for the report when it keeps dying. */
const KEPT_LINES = 40;

/**
 * A process the launcher started; its output is echoed line by line behind its name, as much of
 * it as its view shows, and its last lines are kept whatever is shown.
 */
export class ChildService {
  private readonly exited: Promise<ChildExit>;
  private readonly lines: string[] = [];
  private ended = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    echo: LineView | false,
  ) {
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': it comes after the last output line, which a crash report needs.
      child.once('close', (code, signal) => {
        this.ended = true;
        resolve({ code, signal });
      });
      // A command that cannot be spawned (ENOENT, EACCES) has no pid and never emits 'exit'.
      child.on('error', (error) => {
        this.keep(error.message);
        if (child.pid !== undefined) return;
        this.ended = true;
        resolve({ code: null, signal: null });
      });
    });
    for (const input of [child.stdout!, child.stderr!]) {
      createInterface({ input }).on('line', (line) => {
        this.keep(line);
        const shown = echo ? echo(line) : undefined;
        if (shown !== undefined) process.stdout.write(`${shown}\n`);
      });
    }
  }

  static start(name: string, command: string, args: string[], options: ChildOptions) {
    // A process group of its own: a Ctrl-C in the terminal reaches only the launcher, which stops
    // the services before the infrastructure they depend on.
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    return new ChildService(name, child, options.echo ?? lineView(name));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.ended;
  }

  /** The last lines it wrote (stdout and stderr), oldest first. */
  recentLines(): readonly string[] {
    return [...this.lines];
  }

  /** Resolves when the process ends, on its own or stopped. */
  whenExited(): Promise<ChildExit> {
    return this.exited;
  }

  /** Sends `signal` at once (synchronously, so it happens even while the launcher exits). */
  signal(signal: NodeJS.Signals): void {
    if (this.running && this.child.pid !== undefined) this.child.kill(signal);
  }

  /** `signal` (SIGTERM unless told), then SIGKILL if it has not ended after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<ChildExit> {
    this.signal(signal);
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  private keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.shift();
  }
}

/** `code 1`, `signal SIGKILL`: how a child ended, for log lines. */
export function describeExit({ code, signal }: ChildExit): string {
  if (signal) return `signal ${signal}`;
  return code === null ? 'failure to start' : `code ${code}`;
}

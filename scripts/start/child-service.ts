import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A process the launcher started; its output is echoed line by line behind its name. */
export class ChildService {
  private readonly exited: Promise<number | null>;
  private readonly firstLine: Promise<string>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const [stdout] = [child.stdout!, child.stderr!].map((input) => {
      const reader = createInterface({ input });
      reader.on('line', (line) => console.log(`[${name}] ${line}`));
      return reader;
    });
    this.firstLine = new Promise((resolve, reject) => {
      stdout.once('line', resolve);
      void this.exited.then((code) => reject(new Error(`${name} exited with code ${code}`)));
    });
    this.firstLine.catch(() => undefined);
  }

  static start(
    name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ): ChildService {
    // A process group of its own: a Ctrl-C in the terminal reaches only the launcher, which stops
    // the services before the infrastructure they depend on.
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    return new ChildService(name, child);
  }

  /** The first line the process writes to stdout; rejects if it exits before writing one. */
  readFirstLine(): Promise<string> {
    return this.firstLine;
  }

  /** Resolves with the exit code when the process ends on its own or is stopped. */
  whenExited(): Promise<number | null> {
    return this.exited;
  }

  /** Sends SIGTERM at once (synchronously, so it happens even if the launcher is exiting). */
  terminate(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
  }

  /** SIGTERM, then SIGKILL if it has not ended after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.terminate();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

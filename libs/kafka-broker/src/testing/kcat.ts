import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { waitFor } from '@tracker/testing';
import { BrokerError } from '../errors';

const KCAT = '/usr/bin/kcat';

export interface KcatResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** A failed kcat run, carrying what it printed so the test output shows why. */
export class KcatFailed extends BrokerError {
  readonly retriable = false;

  constructor(args: string[], reason: string, stderr: string) {
    super(`kcat ${args.join(' ')} ${reason}; stderr:\n${stderr}`);
  }
}

/**
 * A kcat child process. Collects its output; {@link KcatProcess.stop} ends it with SIGTERM,
 * on which kcat closes its consumer cleanly (leaves the group, commits offsets).
 */
export class KcatProcess {
  private out = '';
  private err = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly args: string[],
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    child.stdout.on('data', (chunk: Buffer) => (this.out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.err += chunk.toString()));
    this.exited = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => resolve(code));
    });
  }

  static start(args: string[], input?: string): KcatProcess {
    const kcatProcess = new KcatProcess(args, spawn(KCAT, args, { stdio: 'pipe' }));
    if (input !== undefined) kcatProcess.child.stdin.end(input);
    return kcatProcess;
  }

  get stdout(): string {
    return this.out;
  }

  /** Complete output lines so far. */
  lines(): string[] {
    return this.out.split('\n').slice(0, -1);
  }

  async waitForLines(count: number, timeoutMs = 20_000): Promise<string[]> {
    try {
      return await waitFor(
        `${count} lines from kcat`,
        () => {
          const lines = this.lines();
          return lines.length >= count && lines;
        },
        { timeoutMs },
      );
    } catch (error) {
      throw new KcatFailed(this.args, (error as Error).message, this.err);
    }
  }

  /** Waits for kcat to exit by itself; fails on a non-zero status or after the deadline. */
  async finished(timeoutMs = 20_000): Promise<KcatResult> {
    const code = await this.exitWithin(timeoutMs);
    if (code !== 0) throw new KcatFailed(this.args, `exited with ${code}`, this.err);
    return { stdout: this.out, stderr: this.err };
  }

  /** SIGTERM, then waits for the exit (SIGKILL if kcat hangs). */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exitWithin(timeoutMs);
  }

  private async exitWithin(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new KcatFailed(this.args, `did not exit within ${timeoutMs} ms`, this.err));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs kcat to completion and returns its output. */
export async function kcat(args: string[], input?: string): Promise<KcatResult> {
  const kcatProcess = KcatProcess.start(args, input);
  try {
    return await kcatProcess.finished();
  } finally {
    await kcatProcess.stop();
  }
}

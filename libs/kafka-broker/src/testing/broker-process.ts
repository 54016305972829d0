import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { waitFor } from '@tracker/testing';

const REPO_ROOT = resolve(__dirname, '../../../..');
const CLI = resolve(__dirname, '../cli.ts');

/** pino's numeric levels: 50 error, 60 fatal. */
const ERROR_LEVEL = /"level":(50|60)\b/;
const RECENT_LINES = 50;

function tail(text: string): string {
  return text.length > 8000 ? text.slice(-8000) : text;
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

export interface BrokerProcessOptions {
  readonly port: number;
  readonly dataDir: string;
  /** Extra CLI flags, e.g. `['--fsync', 'always']`; later flags win over the defaults. */
  readonly args?: readonly string[];
  /** Flags for node itself, e.g. `['--cpu-prof', '--cpu-prof-dir', dir]`. */
  readonly nodeOptions?: readonly string[];
}

/**
 * The broker CLI (`src/cli.ts`) as a child process, for tests that kill it the hard way or that
 * must prove the process itself survives. Its stderr is kept for failure messages.
 */
export class BrokerProcess {
  private stderr = '';
  private partialLine = '';
  private readonly recentLines: string[] = [];
  private readonly errors: string[] = [];
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.on(
      'data',
      (chunk: Buffer) => (this.stderr = tail(this.stderr + chunk.toString())),
    );
    child.stdout?.on('data', (chunk: Buffer) => this.onLog(chunk));
    this.exited = new Promise((done) => child.once('exit', () => done()));
  }

  /** Starts the CLI and resolves once it accepts TCP connections. */
  static async start(options: BrokerProcessOptions): Promise<BrokerProcess> {
    const args = [...(options.nodeOptions ?? []), '-r', '@swc-node/register', CLI];
    args.push('--port', `${options.port}`, '--data-dir', options.dataDir);
    args.push('--rebalance-delay-ms', '0', '--log-level', 'warn', ...(options.args ?? []));
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const broker = new BrokerProcess(child);
    try {
      await waitFor(
        'the broker process to listen',
        async () => !broker.alive || acceptsConnections(options.port),
        { timeoutMs: 20_000, intervalMs: 50 },
      );
    } catch (error) {
      await broker.kill();
      throw new Error(`${(error as Error).message}\nbroker stderr:\n${broker.stderr}`, {
        cause: error,
      });
    }
    if (!broker.alive) {
      throw new Error(`broker exited at start (${broker.exitStatus}):\n${broker.stderr}`);
    }
    return broker;
  }

  /** The process id (for CPU accounting and profiling). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get exitStatus(): string {
    return `exit code ${this.child.exitCode}, signal ${this.child.signalCode}`;
  }

  /** What the broker wrote to stderr (the tail), for assertion messages. */
  get errorOutput(): string {
    return this.stderr;
  }

  /** The last log lines (pino JSON on stdout), at the level the broker was started with. */
  get logLines(): string[] {
    return [...this.recentLines];
  }

  /** Every log line at level error or fatal since the start. */
  get errorLogLines(): string[] {
    return [...this.errors];
  }

  private onLog(chunk: Buffer): void {
    const lines = (this.partialLine + chunk.toString()).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) {
      if (ERROR_LEVEL.test(line)) this.errors.push(line);
      this.recentLines.push(line);
    }
    this.recentLines.splice(0, this.recentLines.length - RECENT_LINES);
  }

  /** SIGKILL, as a crash would: no shutdown code runs. Resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (graceful shutdown), SIGKILL after the deadline. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

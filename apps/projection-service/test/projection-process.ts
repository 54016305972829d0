import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ProjectionHarness } from './projection-harness';

const MAIN = join(__dirname, '..', 'src', 'main.ts');

/** The projection service as its own process (`src/main.ts`), configured for a harness. */
export class ProjectionProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(private readonly harness: ProjectionHarness) {}

  start(): void {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
      env: {
        ...process.env,
        PORT: '0',
        LOG_LEVEL: 'silent',
        REDIS_KEY_PREFIX: this.harness.redis.prefix,
        READ_MODEL_NAMESPACE: this.harness.namespace,
        KAFKA_TOPIC_PREFIX: this.harness.prefix,
        KAFKA_GROUP_PREFIX: this.harness.groupPrefix,
        PROJECTION_TICK_MS: '0',
        PROJECTION_SESSION_TIMEOUT_MS: '6000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight is lost. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    this.child?.kill('SIGTERM');
    await this.exited;
  }
}

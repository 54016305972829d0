import { ChildExit, ChildService, describeExit } from './child-service';
import { decideRestart, DEFAULT_RESTART_POLICY, RestartPolicy } from './restart-policy';

/** Why a supervisor stopped restarting its process. */
export interface SupervisorFailure {
  readonly name: string;
  /** `port-taken`: restarting cannot help; `keeps-dying`: too many crashes in the window. */
  readonly reason: 'port-taken' | 'keeps-dying';
  readonly exit: ChildExit;
  readonly crashes: number;
  /** Its last output lines, oldest first. */
  readonly lines: readonly string[];
}

export interface SupervisorOptions {
  readonly name: string;
  readonly spawn: () => ChildService;
  readonly log: (line: string) => void;
  readonly policy?: RestartPolicy;
  /** Called with each new process after a restart (e.g. to report when it is ready again). */
  readonly onRestart?: (child: ChildService) => void;
}

/**
 * Keeps one process running: restarts it with backoff when it dies, so the rest of the stack
 * keeps serving, and gives up — resolving {@link failed} — when it keeps dying or cannot bind its
 * port. A process that ends because {@link stop} was called is not a crash.
 */
export class Supervisor {
  readonly failed: Promise<SupervisorFailure>;
  private current: ChildService;
  private readonly crashTimes: number[] = [];
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private fail!: (failure: SupervisorFailure) => void;

  constructor(private readonly options: SupervisorOptions) {
    this.failed = new Promise((resolve) => (this.fail = resolve));
    this.current = this.launch();
  }

  get name(): string {
    return this.options.name;
  }

  /** The process running now (or the one that died last, while a restart is pending). */
  get child(): ChildService {
    return this.current;
  }

  /** Stops restarting and stops the process (SIGTERM, then SIGKILL after `graceMs`). */
  async stop(graceMs?: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.current.stop('SIGTERM', graceMs);
  }

  private launch(): ChildService {
    const child = this.options.spawn();
    void child.whenExited().then((exit) => this.onExit(child, exit));
    return child;
  }

  private onExit(child: ChildService, exit: ChildExit): void {
    if (this.stopping) return;
    const { name, log, policy = DEFAULT_RESTART_POLICY } = this.options;
    const lines = child.recentLines();
    const now = Date.now();
    this.crashTimes.push(now);
    const decision = decideRestart(this.crashTimes, now, policy);
    const failure = { name, exit, crashes: decision.crashesInWindow, lines };
    if (lines.some((line) => line.includes('EADDRINUSE'))) {
      this.stopping = true;
      this.fail({ ...failure, reason: 'port-taken' });
      return;
    }
    if (decision.giveUp) {
      this.stopping = true;
      this.fail({ ...failure, reason: 'keeps-dying' });
      return;
    }
    const window = `${Math.round(policy.windowMs / 1000)} s`;
    log(
      `${name} ended (${describeExit(exit)}); restarting in ${(decision.delayMs / 1000).toFixed(1)} s` +
        ` (crash ${decision.crashesInWindow} within ${window}; ${policy.maxCrashes} stop the run)`,
    );
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.current = this.launch();
      this.options.onRestart?.(this.current);
    }, decision.delayMs);
  }
}

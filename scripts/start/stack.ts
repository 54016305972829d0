import { ChildService } from './child-service';
import { Supervisor } from './supervisor';

interface Stoppable {
  readonly name: string;
  readonly stop: () => Promise<unknown>;
}

/**
 * Everything one `npm start` has started, in two tiers, so that stopping is always done in the
 * same order: the services (and the demo) together first — they hold connections to the
 * infrastructure — then the infrastructure together. Parts join as soon as their process
 * exists, so a Ctrl-C during start-up stops half-started parts too.
 */
export class Stack {
  private readonly services: Supervisor[] = [];
  private readonly infrastructure: Stoppable[] = [];
  private readonly children = new Set<ChildService>();

  constructor(private readonly log: (line: string) => void) {}

  /** Nothing was started (yet). */
  get empty(): boolean {
    return this.services.length === 0 && this.infrastructure.length === 0;
  }

  addService(supervisor: Supervisor): void {
    this.services.push(supervisor);
  }

  /** An infrastructure process, stopped with `signal` (Postgres: SIGINT, its fast shutdown). */
  trackChild(child: ChildService, signal: NodeJS.Signals = 'SIGTERM'): void {
    this.children.add(child);
    this.infrastructure.push({ name: child.name, stop: () => child.stop(signal, 15_000) });
  }

  /** Infrastructure that runs inside the launcher (the embedded broker). */
  addInProcess(name: string, stop: () => Promise<void>): void {
    this.infrastructure.push({ name, stop });
  }

  /** Services first, all at once; then the infrastructure, all at once. */
  async stop(): Promise<void> {
    await Promise.all(this.services.map((service) => this.stopOne(service)));
    await Promise.all(this.infrastructure.map((part) => this.stopOne(part)));
  }

  /** SIGKILL to every process still running: a second Ctrl-C, or the launcher exiting anyway. */
  kill(): void {
    for (const service of this.services) service.child.signal('SIGKILL');
    for (const child of this.children) child.signal('SIGKILL');
  }

  private async stopOne(part: Stoppable): Promise<void> {
    try {
      await part.stop();
    } catch (error) {
      this.log(`stopping ${part.name} failed: ${String(error)}`);
    }
  }
}

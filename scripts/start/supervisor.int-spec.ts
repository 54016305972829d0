import { waitFor } from '@tracker/testing';
import { ChildService } from './child-service';
import { Supervisor } from './supervisor';

const quickPolicy = { maxCrashes: 3, windowMs: 60_000, firstDelayMs: 10, maxDelayMs: 40 };

/** A node child running `code`, quiet, as the launcher would start a service. */
const node = (name: string, code: string) => () =>
  ChildService.start(name, process.execPath, ['-e', code], { env: process.env, echo: false });

describe(Supervisor.name, () => {
  const running: Supervisor[] = [];
  const supervise = (options: ConstructorParameters<typeof Supervisor>[0]) => {
    const supervisor = new Supervisor(options);
    running.push(supervisor);
    return supervisor;
  };

  afterEach(async () => {
    await Promise.all(running.splice(0).map((supervisor) => supervisor.stop(1000)));
  });

  it('restarts a process that dies, logging each restart', async () => {
    const lines: string[] = [];
    const restarted: ChildService[] = [];
    const supervisor = supervise({
      name: 'flaky',
      spawn: node('flaky', 'setInterval(() => {}, 1000)'),
      log: (line) => lines.push(line),
      policy: quickPolicy,
      onRestart: (child) => restarted.push(child),
    });
    const first = supervisor.child;
    first.signal('SIGKILL');
    const second = await waitFor('a restart', () => restarted[0]);
    expect(second).toBe(supervisor.child);
    expect(second.pid).not.toBe(first.pid);
    expect(second.running).toBe(true);
    expect(lines).toEqual([
      'flaky ended (signal SIGKILL); restarting in 0.0 s (crash 1 within 60 s; 3 stop the run)',
    ]);
  });

  it('gives up on a process that keeps dying, with its last lines', async () => {
    const supervisor = supervise({
      name: 'broken',
      spawn: node('broken', 'console.error("cannot reach the database"); process.exit(3)'),
      log: () => undefined,
      policy: quickPolicy,
    });
    const failure = await supervisor.failed;
    expect(failure).toMatchObject({ name: 'broken', reason: 'keeps-dying', crashes: 3 });
    expect(failure.exit).toEqual({ code: 3, signal: null });
    expect(failure.lines).toEqual(['cannot reach the database']);
  });

  it('gives up at once on a port that is taken: a restart cannot free it', async () => {
    const supervisor = supervise({
      name: 'gateway',
      spawn: node(
        'gateway',
        'console.error("Error: listen EADDRINUSE: address already in use :::3000"); process.exit(1)',
      ),
      log: () => undefined,
      policy: quickPolicy,
    });
    await expect(supervisor.failed).resolves.toMatchObject({ reason: 'port-taken', crashes: 1 });
  });

  it('does not count a stop as a crash', async () => {
    const lines: string[] = [];
    const supervisor = supervise({
      name: 'steady',
      spawn: node('steady', 'setInterval(() => {}, 1000)'),
      log: (line) => lines.push(line),
      policy: quickPolicy,
    });
    const child = supervisor.child;
    await supervisor.stop(1000);
    expect(child.running).toBe(false);
    expect(supervisor.child).toBe(child);
    expect(lines).toEqual([]);
  });
});

import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { inboundShipmentsTopic } from '@tracker/contracts';
import { freePort, waitFor } from '@tracker/testing';
import { Kafka, logLevel } from 'kafkajs';
import { ensureCompiled } from '../scripts/start/compiled';
import { runningAsRoot, stagingDirFor } from '../scripts/start/postgres-layout';
import { PORT_VARIABLES } from '../scripts/start/settings';
import { freshClone } from './support/fresh-clone';
import { commandLine, descendantsOf, isRunning } from '@tracker/runtime';

/** The user's report: `git clone` into `mktemp -d`, `npm ci && npm start`, as root. */

interface Run {
  readonly process: ChildProcess;
  output: string;
  /** The exit code, or the signal that ended npm. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
}

/** The environment of a user who set nothing: the test run's own Kafka, Postgres and Redis unset. */
function userEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TRACKER_DEMO: 'off' };
  for (const name of [
    'KAFKA_BROKERS',
    'DATABASE_URL',
    'REDIS_URL',
    'AUTH_TOKENS',
    'PORT',
    'LOG_LEVEL',
  ]) {
    delete env[name];
  }
  for (const name of Object.values(PORT_VARIABLES)) delete env[name];
  return { ...env, ...extra };
}

/** `npm <args>` as a terminal runs it: a job of its own, so Ctrl-C reaches its whole group. */
function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): Run {
  const child = spawn('npm', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const run: Run = {
    process: child,
    output: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code))),
  };
  child.stdout.on('data', (chunk: Buffer) => (run.output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (run.output += chunk.toString()));
  return run;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, () => resolve(true));
  });
  if (ok) await new Promise((resolve) => server.close(resolve));
  return ok;
}

async function ready(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.status === 200;
}

/** `npm start` in a fresh clone on free ports, once it printed its ready banner. */
async function launchInFreshClone(prefix: string) {
  // The compiled services are built here, and only when a source changed since the last build
  // (half a minute of tsc on two cores), not in every clone.
  if (!(await ensureCompiled(join(__dirname, '..'), () => undefined))) {
    throw new Error('the server build failed; npm run build:server shows why');
  }
  const checkout = await freshClone(prefix, { serverBuild: true });
  const variables = Object.values(PORT_VARIABLES);
  const free = await distinctFreePorts(variables.length);
  const ports = Object.fromEntries(variables.map((variable, index) => [variable, free[index]]));
  const portEnv = Object.fromEntries(
    variables.map((variable) => [variable, String(ports[variable])]),
  );
  const run = npm(['start'], checkout, userEnvironment(portEnv));
  await waitFor('the ready banner', () => run.output.includes('The tracker is up'), {
    timeoutMs: 60_000,
  });
  return { checkout, run, ports };
}

/** Removes a clone the launcher ran in, and the Postgres data it staged for it as root. */
async function removeClone(checkout: string): Promise<void> {
  if (runningAsRoot()) {
    await rm(stagingDirFor(join(checkout, '.data')), { recursive: true, force: true });
  }
  await rm(checkout, { recursive: true, force: true });
}

describe('npm start in a fresh clone that only its owner may enter', () => {
  let checkout: string;
  let run: Run;
  let ports: Record<string, number>;
  let processes: number[] = [];

  beforeAll(async () => {
    ({ checkout, run, ports } = await launchInFreshClone('tracker-launcher-'));
  }, 150_000);

  afterAll(async () => {
    for (const pid of [run?.process.pid, ...processes]) {
      if (pid !== undefined && isRunning(pid)) process.kill(pid, 'SIGKILL');
    }
    if (checkout) await removeClone(checkout);
  });

  it('starts in a 0700 folder and prints where everything is', async () => {
    expect(statSync(checkout).mode & 0o777).toBe(0o700);
    const gateway = `http://localhost:${ports.GATEWAY_PORT}`;
    await expect(ready(`http://127.0.0.1:${ports.GATEWAY_PORT}/health/ready`)).resolves.toBe(true);
    expect(run.output).toContain(`dashboard      ${gateway}/`);
    expect(run.output).toContain(`API docs       ${gateway}/docs`);
    expect(run.output).toMatch(/admin token {4}\S{20,}/);
    expect(run.output).toContain(`127.0.0.1:${ports.KAFKA_PORT} (embedded broker`);
    expect(run.output).toContain(`redis://127.0.0.1:${ports.REDIS_PORT} (private redis-server`);
    expect(run.output).toContain(`127.0.0.1:${ports.POSTGRES_PORT}/tracker (embedded Postgres`);
    // Nest's start-up narration (a line per module and route of each service) stays at debug.
    expect(run.output).not.toMatch(/"context":"(RouterExplorer|InstanceLoader|RoutesResolver)"/);
  });

  it('runs Kafka with SASL: a producer writes its own topic with its token, no one without one', async () => {
    const tokensFile = join(checkout, '.data', 'auth-tokens');
    expect(statSync(tokensFile).mode & 0o777).toBe(0o600);
    const [token, role] = readFileSync(tokensFile, 'utf8')
      .trim()
      .split(',')
      .map((entry) => entry.split('='))
      .find(([, role]) => role.startsWith('producer:'))!;
    const org = role.slice('producer:'.length);
    expect(run.output).toContain(
      `producers      publish to ${inboundShipmentsTopic(org)} on 127.0.0.1:${ports.KAFKA_PORT}, SASL_PLAINTEXT`,
    );
    const brokers = [`127.0.0.1:${ports.KAFKA_PORT}`];
    const options = { brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } };
    const sasl = { mechanism: 'scram-sha-512' as const, username: role, password: token };
    const producer = new Kafka({ ...options, sasl }).producer();
    await producer.connect();
    try {
      await producer.send({ topic: inboundShipmentsTopic(org), messages: [{ value: 'x' }] });
      await expect(
        producer.send({ topic: 'tracker.pledges.v1', messages: [{ value: 'x' }] }),
      ).rejects.toThrow(/Not authorized to access topics/);
    } finally {
      await producer.disconnect();
    }
    await expect(new Kafka(options).admin().listTopics()).rejects.toThrow();
  });

  it('runs embedded Postgres as the postgres user, its data where that user can reach it', () => {
    const dataDir = runningAsRoot()
      ? join(stagingDirFor(join(checkout, '.data')), 'postgres-data')
      : join(checkout, '.data', 'postgres');
    expect(run.output).toContain(`data in ${runningAsRoot() ? dataDir : '.data/postgres'}`);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    if (runningAsRoot()) expect(statSync(dataDir).uid).not.toBe(0);
  });

  it('runs the services compiled, from the build in dist/', () => {
    expect(run.output).not.toContain('server code         building');
    expect(run.output).toContain('compiled, from dist/');
  });

  it('restarts a service that dies, and the stack keeps serving', async () => {
    const pid = descendantsOf(run.process.pid!).find((candidate) =>
      commandLine(candidate).includes(join('dist', 'apps', 'pledge-service', 'src', 'main.js')),
    );
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    await waitFor('pledge-service back', () => run.output.includes('pledge-service is back'), {
      timeoutMs: 30_000,
    });
    expect(run.output).toContain('pledge-service ended (signal SIGKILL); restarting in 0.5 s');
    await expect(ready(`http://127.0.0.1:${ports.PLEDGE_PORT}/health/ready`)).resolves.toBe(true);
  });

  it('stops everything on Ctrl-C: no process left, every port free', async () => {
    processes = descendantsOf(run.process.pid!);
    expect(processes.length).toBeGreaterThanOrEqual(8);
    // What Ctrl-C in a terminal does: SIGINT to every process of the foreground job.
    process.kill(-run.process.pid!, 'SIGINT');
    // The shell npm runs the script in dies of the SIGINT too, and npm reports that, as in a
    // terminal; the launcher itself says it stopped cleanly.
    expect([0, 130, 'SIGINT']).toContain(await run.exited);
    await waitFor('every child gone', () => processes.every((pid) => !isRunning(pid)), {
      timeoutMs: 5_000,
    });
    expect(run.output).toContain('stopped; nothing is left running');
    const held = [];
    for (const [variable, port] of Object.entries(ports)) {
      if (!(await canListen(port))) held.push(variable);
    }
    expect(held).toEqual([]);
  });

  it('kept its data, which npm run reset wipes, staged Postgres included', async () => {
    const dataRoot = join(checkout, '.data');
    expect(existsSync(join(dataRoot, 'kafka', 'topics'))).toBe(true);
    expect(existsSync(join(dataRoot, 'redis', 'appendonlydir'))).toBe(true);
    const reset = npm(['run', 'reset'], checkout, userEnvironment({}));
    await expect(reset.exited).resolves.toBe(0);
    expect(existsSync(dataRoot)).toBe(false);
    if (runningAsRoot()) expect(existsSync(stagingDirFor(join(checkout, '.data')))).toBe(false);
  });
});

describe('npm start whose terminal closes', () => {
  let checkout: string | undefined;
  let processes: number[] = [];

  afterAll(async () => {
    for (const pid of processes) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    if (checkout) await removeClone(checkout);
  });

  it('stops everything on the hang-up, as on Ctrl-C: no process left', async () => {
    const launched = await launchInFreshClone('tracker-launcher-hup-');
    checkout = launched.checkout;
    const { run } = launched;
    processes = [run.process.pid!, ...descendantsOf(run.process.pid!)];
    // What closing a terminal window does: SIGHUP to every process of its foreground job. The
    // services run in process groups of their own, so only the launcher can stop them.
    process.kill(-run.process.pid!, 'SIGHUP');
    await run.exited;
    await waitFor('every child gone', () => processes.every((pid) => !isRunning(pid)), {
      timeoutMs: 30_000,
    });
    expect(run.output).toContain('SIGHUP: stopping the services');
    await waitFor('the launcher’s last line', () =>
      run.output.includes('stopped; nothing is left running'),
    );
  }, 150_000);
});

describe('npm start on a port that is taken', () => {
  it('names the variable that fixes it, starts nothing and prints no stack trace', async () => {
    const checkout = await freshClone('tracker-launcher-port-');
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const taken = (holder.address() as { port: number }).port;
    try {
      const run = npm(['start'], checkout, userEnvironment({ GATEWAY_PORT: String(taken) }));
      await expect(run.exited).resolves.toBe(1);
      expect(run.output).toMatch(
        new RegExp(`port ${taken} for gateway is in use: .* GATEWAY_PORT=\\d+ npm start`),
      );
      expect(run.output).not.toMatch(/\n\s+at /);
      expect(existsSync(join(checkout, '.data', 'kafka'))).toBe(false);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
      await rm(checkout, { recursive: true, force: true });
    }
  });
});

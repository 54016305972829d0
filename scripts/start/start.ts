import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@tracker/config';
import pino from 'pino';
import { describeExit } from './child-service';
import { ensureCompiled } from './compiled';
import { ensureDashboard } from './dashboard';
import { provideAuthTokens, ProvidedTokens } from './auth-tokens';
import { generateServiceCredentials } from './kafka-security';
import { maskUrlPasswords } from './mask-secrets';
import { dataRootOf } from './data-root';
import {
  InfrastructureContext,
  provideKafka,
  providePostgres,
  provideRedis,
} from './infrastructure';
import { checkPortsFree, freePorts, portFix, PortTakenError } from './ports';
import { RedisNotInstalledError } from './redis-server';
import { AlreadyRunningError, acquireRunLock } from './run-lock';
import { ServiceFailedError, ServicePorts, startDemo, startServices } from './services';
import { LaunchSettings, LaunchSettingsError, readLaunchSettings, SERVICE_NAMES } from './settings';
import { Stack } from './stack';
import { terminalDestination } from './terminal';

/**
 * `npm start`: the whole system on one machine. What the environment leaves unset is started here
 * (DESIGN.md §7): the embedded Kafka broker for `KAFKA_BROKERS`, a private redis-server for
 * `REDIS_URL`, an embedded Postgres for `DATABASE_URL`, a generated admin token for `AUTH_TOKENS`;
 * then the services, supervised, and the demo simulator, compiled into dist/ first when that
 * build is missing or stale (`TRACKER_COMPILED=off` runs them from source).
 */
const checkout = join(__dirname, '..', '..');
const dataRoot = dataRootOf(checkout, process.env);
const log = (line: string) => process.stdout.write(`[start] ${line}\n`);
const stack = new Stack(log);
const startedAt = Date.now();
let stopping = false;
let releaseLock: (() => void) | undefined;

/** Ports for this run: a taken one is refused up front, naming the variable that fixes it. */
async function choosePorts(settings: LaunchSettings, env: NodeJS.ProcessEnv) {
  const { ports } = settings;
  const provided = {
    postgres: !env.DATABASE_URL,
    redis: !env.REDIS_URL,
    // The default 9092 falls back to a free port when taken; only an explicit KAFKA_PORT is held.
    kafka: !env.KAFKA_BROKERS && ports.kafka.explicit,
  };
  const infrastructure = (['postgres', 'redis', 'kafka'] as const).filter((part) => provided[part]);
  await checkPortsFree(
    [...SERVICE_NAMES, 'time-travel' as const, ...infrastructure].map((part) => ports[part]),
  );
  const chosen = [...SERVICE_NAMES, 'time-travel', 'postgres', 'redis'] as const;
  const spare = await freePorts(chosen.filter((part) => ports[part].port === 0).length);
  const port = Object.fromEntries(
    chosen.map((part) => [part, ports[part].port || spare.pop()!]),
  ) as Record<(typeof chosen)[number], number>;
  return { services: port as ServicePorts, postgres: port.postgres, redis: port.redis };
}

async function main(): Promise<never> {
  const settings = readLaunchSettings(process.env);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: undefined };
  if (settings.demo) {
    // The demo replays a dated story: the projection judges it at the story's pace, a tick a
    // second (a simulated day at the default speed), unless the environment says otherwise.
    env.PROJECTION_CLOCK ??= 'events';
    env.PROJECTION_TICK_MS ??= '1000';
  }
  mkdirSync(dataRoot, { recursive: true });
  releaseLock = acquireRunLock(dataRoot);
  const tokens = provideAuthTokens(env, dataRoot);
  const config = loadConfig('gateway', env);
  const kafkaUsers = generateServiceCredentials();
  const ports = await choosePorts(settings, env);
  log(`starting in ${checkout}`);

  const logger = pino({ name: 'start', level: env.LOG_LEVEL ?? 'info' }, terminalDestination(env));
  const context: InfrastructureContext = { checkout, dataRoot, stack, logger, log };
  const part = async (name: string, provide: () => Promise<string>) => {
    // What is printed never shows a password: URLs from the environment may carry one.
    const where = maskUrlPasswords(await provide());
    log(`${name.padEnd(19)} ready after ${seconds()}: ${where}`);
    return where;
  };
  const [compiled, , kafka, redis, postgres] = await Promise.all([
    settings.compiled && ensureCompiled(checkout, log),
    ensureDashboard(checkout, log),
    part('kafka', () => provideKafka(env, settings.ports.kafka, config, kafkaUsers, context)),
    part('redis', () => provideRedis(env, ports.redis, context)),
    part('postgres', () => providePostgres(env, ports.postgres, context)),
  ]);
  const servicesContext = { checkout, compiled, stack, log, startedAt, kafkaUsers };
  const supervisors = await startServices(env, ports.services, servicesContext);
  const demo = settings.demo
    ? startDemo(env, ports.services, tokens.adminToken, servicesContext)
    : 'off (TRACKER_DEMO=off)';

  const gateway = `http://localhost:${ports.services.gateway}`;
  const lines = [
    `The tracker is up after ${seconds()}:`,
    `  dashboard      ${gateway}/`,
    `  public page    ${gateway}/public`,
    `  API docs       ${gateway}/docs`,
    ...tokenLines(tokens),
    `  services       ${[...SERVICE_NAMES, 'time-travel' as const].map((service) => `${service} :${ports.services[service]}`).join(', ')}`,
    `                 ${compiled ? 'compiled, from dist/' : 'from source, compiled as they load'}`,
    `  kafka          ${kafka}`,
    ...producerLines(env, tokens),
    `  redis          ${redis}`,
    `  postgres       ${postgres}`,
    `  demo           ${demo}`,
    'Ctrl-C stops everything; the data stays for the next run (npm run reset wipes it).',
  ];
  log(lines.join('\n'));
  const failure = await Promise.race(supervisors.map((supervisor) => supervisor.failed));
  throw new ServiceFailedError(failure);
}

/** Which admin token to use, and where every party's token is. */
function tokenLines(tokens: ProvidedTokens): string[] {
  if (tokens.adminToken === undefined) return ['  admin token    one of AUTH_TOKENS (it was set)'];
  return [
    `  admin token    ${tokens.adminToken}   (send Authorization: Bearer ${tokens.adminToken})`,
    `  tokens         every party's (admin, ops, the demo's donors, producers, recipients) in ${tokens.file}`,
  ];
}

/** How a producer system publishes its shipment events straight to Kafka. */
function producerLines(env: NodeJS.ProcessEnv, tokens: ProvidedTokens): string[] {
  const sasl = env.KAFKA_SASL_MECHANISM;
  const example = tokens.producerExample;
  const user = example?.role ?? 'producer:<org>';
  const org = user.slice('producer:'.length);
  return [
    `  producers      publish to tracker.inbound.${org}.shipments.v1 on ${env.KAFKA_BROKERS}` +
      (sasl
        ? `, SASL_PLAINTEXT (SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN) as user ${user}, password ${example?.token ?? 'its token in AUTH_TOKENS'}`
        : ''),
    `                 e.g. kcat -b ${env.KAFKA_BROKERS} -t tracker.inbound.${org}.shipments.v1 -P` +
      (sasl
        ? ` -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username=${user} -X sasl.password=<its token>`
        : ''),
  ];
}

function seconds(): string {
  return `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
}

async function describeFailure(error: unknown): Promise<string> {
  if (error instanceof ServiceFailedError) {
    const { name, reason, exit, crashes, lines } = error.failure;
    const output = lines.map((line) => `  ${line}`).join('\n');
    if (reason === 'port-taken') {
      const setting = readLaunchSettings(process.env).ports[name as (typeof SERVICE_NAMES)[number]];
      return `${await portFix(setting, 'in use')}\n${name}'s last lines:\n${output}`;
    }
    return `${name} died ${crashes} times within a minute (last: ${describeExit(exit)}); stopping everything. Its last lines:\n${output}`;
  }
  if (error instanceof ConfigError) return `invalid configuration: ${error.message}`;
  if (error instanceof LaunchSettingsError) return `invalid configuration: ${error.message}`;
  const known = [PortTakenError, RedisNotInstalledError, AlreadyRunningError];
  if (known.some((type) => error instanceof type)) return (error as Error).message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function finish(code: number): Promise<void> {
  await stack.stop();
  releaseLock?.();
  if (!stack.empty) log(code === 0 ? 'stopped; nothing is left running' : 'stopped');
  process.exit(code);
}

/**
 * A Ctrl-C under `npm start` arrives twice at once (the terminal signals the whole process group
 * and npm forwards it again), so only a signal a moment after the first forces the kill.
 */
const FORCE_AFTER_MS = 1500;
let firstSignalAt = 0;

function onSignal(signal: NodeJS.Signals): void {
  if (stopping && firstSignalAt > 0 && Date.now() - firstSignalAt < FORCE_AFTER_MS) return;
  if (stopping) {
    log(`${signal} again: killing everything now`);
    stack.kill();
    releaseLock?.();
    process.exit(130);
  }
  stopping = true;
  firstSignalAt = Date.now();
  log(`${signal}: stopping the services, then the infrastructure (again to kill at once)`);
  void finish(0);
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// The terminal closed: its window, an SSH session. Stop as for Ctrl-C; a process group of its
// own keeps each child from the hang-up, so nothing else would stop them.
process.on('SIGHUP', onSignal);
// Whatever ends the launcher, no child may outlive it.
process.on('exit', () => stack.kill());
main().catch(async (error: unknown) => {
  if (stopping) return;
  stopping = true;
  const report = await describeFailure(error);
  process.stderr.write(report.replace(/^/gm, '[start] ') + '\n');
  await finish(1);
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceName } from '@tracker/config';
import { ChildService } from './child-service';
import { entryArguments } from './compiled';
import { ServiceCredentials } from './kafka-security';
import { SERVICE_NAMES } from './settings';
import { Stack } from './stack';
import { Supervisor, SupervisorFailure } from './supervisor';
import { waitFor } from '@tracker/runtime';
import { answers200 } from './wait';

/** The services' ports and the time-travel process's. */
export type ServicePorts = Readonly<Record<ServiceName | 'time-travel', number>>;

export interface ServicesContext {
  readonly checkout: string;
  /** Run the compiled build in dist/ (see `ensureCompiled`) rather than the source. */
  readonly compiled: boolean;
  /** Each service's own Kafka user, when the launcher runs the broker. */
  readonly kafkaUsers?: ServiceCredentials;
  readonly stack: Stack;
  readonly log: (line: string) => void;
  /** When the launcher started, for "ready in …" lines. */
  readonly startedAt: number;
}

/** How long a service may take to answer `/health/ready`, restarts included. */
const READY_TIMEOUT_MS = 120_000;

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * The URLs the gateway forwards to on the ports this run uses: the write services', and time
 * travel's for reads with `asOf` or `knownAt`.
 */
function upstreams(ports: ServicePorts): NodeJS.ProcessEnv {
  const url = (service: keyof ServicePorts) => `http://127.0.0.1:${ports[service]}`;
  return {
    PLEDGE_SERVICE_URL: url('pledge-service'),
    PRODUCTION_SERVICE_URL: url('production-service'),
    SHIPMENT_SERVICE_URL: url('shipment-service'),
    WEBHOOK_SERVICE_URL: url('webhook-service'),
    TIME_TRAVEL_URL: url('time-travel'),
  };
}

/**
 * One service's environment: the shared one, its `PORT`, its own Kafka user when the launcher
 * runs the broker (`kafkaUsers`), and for the gateway the upstreams.
 */
export function serviceEnvironment(
  env: NodeJS.ProcessEnv,
  service: ServiceName,
  ports: ServicePorts,
  kafkaUsers?: ServiceCredentials,
): NodeJS.ProcessEnv {
  const kafkaUser = env.KAFKA_SASL_MECHANISM && kafkaUsers?.[service];
  return {
    ...env,
    ...(kafkaUser
      ? { KAFKA_SASL_USERNAME: kafkaUser.username, KAFKA_SASL_PASSWORD: kafkaUser.password }
      : {}),
    PORT: String(ports[service]),
    // Links and every event's dataschema name the gateway as users reach it in this run.
    PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${ports.gateway}`,
    ...(service === 'gateway' ? upstreams(ports) : {}),
    // One machine's run: webhooks may go to receivers on this machine or its network (SSRF
    // guard off, plain http allowed; apps/webhook-service/README.md). Set it to false to refuse.
    ...(service === 'webhook-service'
      ? { WEBHOOK_ALLOW_PRIVATE_NETWORKS: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? 'true' }
      : {}),
  };
}

/**
 * One supervised Node process for `entry` (a `.ts` path relative to the checkout): its compiled
 * build, or its source when the context says so. With `TRACKER_CPU_PROFILE_DIR` set, each writes
 * a V8 CPU profile there when it exits (for profiling the whole stack under load; open it in
 * Chrome's DevTools).
 */
function runNode(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  context: ServicesContext,
): ChildService {
  const folder = env.TRACKER_CPU_PROFILE_DIR;
  const profile = folder
    ? ['--cpu-prof', `--cpu-prof-dir=${folder}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  return ChildService.start(
    name,
    process.execPath,
    [...profile, ...entryArguments(context.checkout, entry, context.compiled)],
    { env },
  );
}

function readyUrl(ports: ServicePorts, service: ServiceName): string {
  return `http://127.0.0.1:${ports[service]}/health/ready`;
}

/**
 * Starts the services under supervision and resolves once each answers `/health/ready`,
 * logging each as it does. Rejects with the failure of a service that keeps dying meanwhile.
 */
export async function startServices(
  env: NodeJS.ProcessEnv,
  ports: ServicePorts,
  context: ServicesContext,
): Promise<Supervisor[]> {
  const supervisors = SERVICE_NAMES.map((service) => {
    const main = join('apps', service, 'src', 'main.ts');
    const supervisor = new Supervisor({
      name: service,
      spawn: () =>
        runNode(
          service,
          main,
          serviceEnvironment(env, service, ports, context.kafkaUsers),
          context,
        ),
      log: context.log,
      onRestart: () => void reportBack(service, ports, context),
    });
    context.stack.addService(supervisor);
    return supervisor;
  });
  supervisors.push(startTimeTravel(env, ports, context));
  const ready = SERVICE_NAMES.map(async (service) => {
    await waitFor(service, () => answers200(readyUrl(ports, service)), {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 100,
    });
    context.log(`${service.padEnd(19)} ready after ${seconds(context.startedAt)}`);
  });
  const failed = supervisors.map((supervisor) =>
    supervisor.failed.then((failure) => Promise.reject(new ServiceFailedError(failure))),
  );
  await Promise.race([Promise.all(ready), ...failed]);
  return supervisors;
}

/**
 * projection-service's time-travel process (its second entry point) with the projection's
 * environment and Kafka user, on its own port. Not waited for: it reads the whole log before it
 * answers reads at a time, which may take a while on a long-running data root, and the rest of
 * the tracker does not depend on it.
 */
function startTimeTravel(
  env: NodeJS.ProcessEnv,
  ports: ServicePorts,
  context: ServicesContext,
): Supervisor {
  const main = join('apps', 'projection-service', 'src', 'time-travel', 'main.ts');
  const timeTravelEnv = {
    ...serviceEnvironment(env, 'projection-service', ports, context.kafkaUsers),
    PORT: String(ports['time-travel']),
  };
  const supervisor = new Supervisor({
    name: 'time-travel',
    spawn: () => runNode('time-travel', main, timeTravelEnv, context),
    log: context.log,
  });
  context.stack.addService(supervisor);
  return supervisor;
}

async function reportBack(service: ServiceName, ports: ServicePorts, context: ServicesContext) {
  const since = Date.now();
  try {
    await waitFor(service, () => answers200(readyUrl(ports, service)), {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 100,
    });
    context.log(`${service} is back: ready ${seconds(since)} after its restart`);
  } catch {
    context.log(`${service} did not become ready after its restart`);
  }
}

/** A supervised process gave up; carries what the report needs. */
export class ServiceFailedError extends Error {
  constructor(readonly failure: SupervisorFailure) {
    super(`${failure.name} failed: ${failure.reason}`);
    this.name = 'ServiceFailedError';
  }
}

/** Where the demo simulator will live; it is optional until it exists. */
export const DEMO_SIMULATOR = join('scripts', 'demo', 'simulate.ts');

/**
 * The hook for the demo simulator: started after the services, supervised like them, but a
 * simulator that keeps dying only ends the demo, never the stack. It gets the services'
 * environment (not a service's Kafka user: it logs in as each party of `AUTH_TOKENS`) plus
 * `TRACKER_GATEWAY_URL` and, when the launcher generated one, `TRACKER_ADMIN_TOKEN`.
 */
export function startDemo(
  env: NodeJS.ProcessEnv,
  ports: ServicePorts,
  adminToken: string | undefined,
  context: ServicesContext,
): string {
  if (!existsSync(join(context.checkout, DEMO_SIMULATOR)))
    return `not started: ${DEMO_SIMULATOR} does not exist yet`;
  const demoEnv: NodeJS.ProcessEnv = {
    ...serviceEnvironment(env, 'gateway', ports),
    PORT: undefined,
    TRACKER_GATEWAY_URL: `http://127.0.0.1:${ports.gateway}`,
    TRACKER_ADMIN_TOKEN: adminToken,
  };
  const demo = new Supervisor({
    name: 'demo',
    spawn: () => runNode('demo', DEMO_SIMULATOR, demoEnv, context),
    log: context.log,
  });
  context.stack.addService(demo);
  void demo.failed.then((failure) =>
    context.log(
      `the demo simulator keeps dying; the tracker keeps running without it. Its last lines:\n  ` +
        failure.lines.join('\n  '),
    ),
  );
  return `running ${DEMO_SIMULATOR} (TRACKER_DEMO=off starts without it)`;
}

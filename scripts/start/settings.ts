import { SERVICE_PORTS, ServiceName, TIME_TRAVEL_PORT } from '@tracker/config';

/**
 * Everything `npm start` may run: the services, projection-service's time-travel process
 * (`time-travel`, apps/projection-service README) and the infrastructure it can provide.
 */
export type PartName = ServiceName | 'time-travel' | 'kafka' | 'postgres' | 'redis';

/**
 * The launcher's own variables: one port per part. The services only ever see `PORT` (and the
 * gateway the write services' URLs); these names exist so that one machine can run the whole
 * stack next to whatever already holds the default ports.
 */
export const PORT_VARIABLES: Readonly<Record<PartName, string>> = {
  gateway: 'GATEWAY_PORT',
  'pledge-service': 'PLEDGE_PORT',
  'production-service': 'PRODUCTION_PORT',
  'shipment-service': 'SHIPMENT_PORT',
  'projection-service': 'PROJECTION_PORT',
  'webhook-service': 'WEBHOOK_PORT',
  'time-travel': 'TIME_TRAVEL_PORT',
  kafka: 'KAFKA_PORT',
  postgres: 'POSTGRES_PORT',
  redis: 'REDIS_PORT',
};

/**
 * Defaults: the services' own (DESIGN §7), time travel's 3006 and Kafka's 9092; Postgres and Redis take a free port
 * (0) so that they never collide with a system Postgres or Redis on 5432 / 6379.
 */
export const DEFAULT_PORTS: Readonly<Record<PartName, number>> = {
  ...SERVICE_PORTS,
  'time-travel': TIME_TRAVEL_PORT,
  kafka: 9092,
  postgres: 0,
  redis: 0,
};

export const SERVICE_NAMES = Object.keys(SERVICE_PORTS) as ServiceName[];

export interface PortSetting {
  readonly part: PartName;
  readonly variable: string;
  /** 0 = any free port. */
  readonly port: number;
  /** Set in the environment rather than defaulted: never silently replaced. */
  readonly explicit: boolean;
}

export interface LaunchSettings {
  readonly ports: Readonly<Record<PartName, PortSetting>>;
  /** `TRACKER_DEMO` is not `off`. */
  readonly demo: boolean;
  /** `TRACKER_COMPILED` is not `off`: the services run their build in dist/, not the source. */
  readonly compiled: boolean;
}

/** The launcher refuses its environment; `message` is one line naming each variable. */
export class LaunchSettingsError extends Error {
  constructor(problems: string[]) {
    super(problems.join('; '));
    this.name = 'LaunchSettingsError';
  }
}

const PORT_RULE = 'must be an integer between 0 and 65535';

/** Reads and checks the launcher's variables; throws {@link LaunchSettingsError}. */
export function readLaunchSettings(env: NodeJS.ProcessEnv): LaunchSettings {
  const problems: string[] = [];
  const entries = (Object.keys(PORT_VARIABLES) as PartName[]).map((part) => {
    const variable = PORT_VARIABLES[part];
    const raw = env[variable]?.trim();
    const explicit = raw !== undefined && raw !== '';
    const port = explicit ? Number(raw) : DEFAULT_PORTS[part];
    if (!Number.isInteger(port) || port < 0 || port > 65535 || (explicit && !/^\d+$/.test(raw))) {
      problems.push(`${variable}: ${PORT_RULE}`);
    }
    return [part, { part, variable, port, explicit }] as const;
  });
  const ports = Object.fromEntries(entries) as Record<PartName, PortSetting>;
  problems.push(...duplicatePorts(Object.values(ports)));
  if (problems.length > 0) throw new LaunchSettingsError(problems);
  return { ports, demo: env.TRACKER_DEMO !== 'off', compiled: env.TRACKER_COMPILED !== 'off' };
}

function duplicatePorts(settings: readonly PortSetting[]): string[] {
  const byPort = new Map<number, string[]>();
  for (const { port, variable } of settings) {
    if (port !== 0) byPort.set(port, [...(byPort.get(port) ?? []), variable]);
  }
  return [...byPort]
    .filter(([, variables]) => variables.length > 1)
    .map(([port, variables]) => `${variables.join(', ')}: share port ${port}; give each its own`);
}

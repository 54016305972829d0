import { readFileSync } from 'node:fs';
import { BrokerError } from '../errors';
import type { SecurityOptions } from '../security/security-options';
import { MAX_PARTITIONS_PER_TOPIC, type BrokerOptions } from './broker-options';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CliArguments {
  readonly options: Omit<BrokerOptions, 'logger'>;
  readonly logLevel: LogLevel;
}

/** A bad command line; the message names the flag and the rule, for one line on stderr. */
export class CliUsageError extends BrokerError {
  readonly retriable = false;

  constructor(message: string) {
    super(message);
  }
}

type FlagParser = (value: string, options: Partial<BrokerOptions>) => void;

const VALUE_FLAGS: Readonly<Record<string, FlagParser>> = {
  '--port': (v, o) => (o.port = integerFlag('--port', v, 0, 65535)),
  '--host': (v, o) => (o.host = v),
  '--advertised-host': (v, o) => (o.advertisedHost = v),
  '--data-dir': (v, o) => (o.dataDir = v),
  '--fsync': (v, o) => (o.fsync = oneOf('--fsync', v, ['always', 'interval', 'never'] as const)),
  '--partitions': (v, o) =>
    (o.defaultPartitions = integerFlag('--partitions', v, 1, MAX_PARTITIONS_PER_TOPIC)),
  '--rebalance-delay-ms': (v, o) =>
    (o.initialRebalanceDelayMs = integerFlag('--rebalance-delay-ms', v, 0, 3_600_000)),
  '--security': (v, o) => (o.security = securityFile(v)),
};

/**
 * `--security <file>`: a JSON file holding `BrokerOptions.security` as is. Its content is checked
 * by `startBroker` (an InvalidBrokerOptionError names the bad field); here only that it is a
 * readable JSON object.
 */
function securityFile(path: string): SecurityOptions {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(`--security: cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--security: ${path} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliUsageError(`--security: ${path} must hold a JSON object`);
  }
  return parsed;
}

/**
 * Parses `--flag value` / `--flag=value` arguments of the broker CLI.
 * @throws CliUsageError for an unknown flag, a missing value or a value that breaks its rule.
 */
export function parseCliArguments(argv: readonly string[]): CliArguments {
  const options: Partial<BrokerOptions> = {};
  let logLevel: LogLevel = 'info';
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitFlag(argv[i]);
    if (flag === '--no-auto-create' && inline === undefined) {
      options.autoCreateTopics = false;
      continue;
    }
    const value = inline ?? argv[++i];
    if (flag !== '--log-level' && !(flag in VALUE_FLAGS)) {
      throw new CliUsageError(`unknown flag ${flag}`);
    }
    if (value === undefined || value === '') throw new CliUsageError(`${flag} needs a value`);
    if (flag === '--log-level') logLevel = oneOf('--log-level', value, LOG_LEVELS);
    else VALUE_FLAGS[flag](value, options);
  }
  if (options.dataDir === undefined) {
    throw new CliUsageError('--data-dir is required: the directory holding topics and offsets');
  }
  return { options: { ...options, dataDir: options.dataDir }, logLevel };
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function integerFlag(flag: string, value: string, min: number, max: number): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(parsed >= min && parsed <= max)) {
    throw new CliUsageError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) {
    throw new CliUsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return match;
}

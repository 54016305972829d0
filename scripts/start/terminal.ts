/**
 * What `npm start` prints of its parts' output. A person at a terminal reads one short line per
 * event of interest: the demo's story, and any warning or error of any part. Everything else
 * (request logs, the broker's and Redis's chatter, Postgres's checkpoints) stays out of the
 * terminal; it is still kept for the report of a part that keeps dying. When stdout is not a
 * terminal (a file, a pipe, CI), or `LOG_LEVEL` is `debug` or `trace`, every line passes as
 * written, JSON included.
 */

/** Turns one output line of a part into what the terminal shows, or nothing. */
export type LineView = (line: string) => string | undefined;

/** The parts whose informational lines are the story a person watches. */
const STORY_TELLERS = new Set(['demo']);

/** pino's numeric levels. */
const WARN = 40;
const ERROR = 50;

/** Raw lines of Postgres or Redis worth a person's attention. */
const RAW_TROUBLE = /\b(WARNING|ERROR|FATAL|PANIC)\b|# WARNING|# Warning/;

export function showsEverything(env: NodeJS.ProcessEnv, isTerminal: boolean): boolean {
  return !isTerminal || env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
}

/** How the launcher shows lines of the part called `source`, for this terminal and `env`. */
export function lineView(
  source: string,
  env: NodeJS.ProcessEnv = process.env,
  isTerminal = process.stdout.isTTY === true,
): LineView {
  if (showsEverything(env, isTerminal)) return (line) => `[${source}] ${line}`;
  return (line) => {
    const shown = readable(source, line);
    return shown === undefined ? undefined : `[${source}] ${shown}`;
  };
}

interface PinoLine {
  readonly level: number;
  readonly name?: string;
  readonly msg?: string;
  readonly err?: { readonly message?: string } | string;
}

function parsePino(line: string): PinoLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return undefined;
    const level = (value as { level?: unknown }).level;
    return typeof level === 'number' ? (value as PinoLine) : undefined;
  } catch {
    return undefined;
  }
}

/** The short form of a line a person should read, or undefined for one they need not. */
export function readable(source: string, line: string): string | undefined {
  return readableEntry(source, line, parsePino(line));
}

function readableEntry(
  source: string,
  line: string,
  entry: PinoLine | undefined,
): string | undefined {
  if (entry === undefined) return RAW_TROUBLE.test(line) ? line.trim() : undefined;
  const message = entry.msg ?? '';
  if (entry.level >= WARN) {
    const cause = typeof entry.err === 'string' ? entry.err : entry.err?.message;
    const label = entry.level >= ERROR ? 'error' : 'warning';
    return `${label}: ${message}${cause && !message.includes(cause) ? ` (${cause})` : ''}`;
  }
  return STORY_TELLERS.has(source) && message !== '' ? message : undefined;
}

/**
 * A pino destination for the loggers that run inside the launcher (the embedded broker's): each
 * line goes to stdout through the view of the part its `name` says, like the children's.
 */
export function terminalDestination(
  env: NodeJS.ProcessEnv = process.env,
  isTerminal = process.stdout.isTTY === true,
): { write(chunk: string): void } {
  const everything = showsEverything(env, isTerminal);
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (line === '') continue;
        const entry = parsePino(line);
        const source = entry?.name ?? 'start';
        const shown = everything ? line : readableEntry(source, line, entry);
        if (shown !== undefined) process.stdout.write(`[${source}] ${shown}\n`);
      }
    },
  };
}

import { createServer, Server } from 'node:net';
import { PortSetting } from './settings';

/**
 * Asks the OS for `count` distinct free ports, holding them all until each is known so that no
 * two are the same; free for a moment, which is all a launcher needs.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => {
              const address = server.address();
              if (address === null || typeof address === 'string') reject(new Error('no port'));
              else resolve(address.port);
            });
          }),
      ),
    );
  } finally {
    await Promise.all(
      servers.map((server) => new Promise((resolve) => server.close(() => resolve(undefined)))),
    );
  }
}

/**
 * Whether `port` can be bound. Checked on every interface, as the services listen: a port held
 * only on 127.0.0.1 (a system Redis) is still taken for them.
 */
export async function portProblem(port: number): Promise<'in use' | 'not permitted' | undefined> {
  const server = createServer();
  const problem = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    server.once('error', resolve);
    server.listen(port, () => resolve(undefined));
  });
  if (problem === undefined) {
    await new Promise((resolve) => server.close(resolve));
    return undefined;
  }
  if (problem.code === 'EADDRINUSE') return 'in use';
  if (problem.code === 'EACCES') return 'not permitted';
  throw problem;
}

/** Ports the launcher was asked to use that it cannot; the message says what to set instead. */
export class PortTakenError extends Error {
  constructor(lines: string[]) {
    super(lines.join('\n'));
    this.name = 'PortTakenError';
  }
}

/** The fix for one taken port: the variable to set, with a port that is free right now. */
export async function portFix(setting: PortSetting, problem: string): Promise<string> {
  const [suggestion] = await freePorts(1);
  return (
    `port ${setting.port} for ${setting.part} is ${problem}: stop what holds it, or start ` +
    `with another port, e.g. ${setting.variable}=${suggestion} npm start (0 = any free port)`
  );
}

/** Throws one {@link PortTakenError} naming every setting whose port cannot be bound. */
export async function checkPortsFree(settings: readonly PortSetting[]): Promise<void> {
  const lines: string[] = [];
  for (const setting of settings) {
    const problem = setting.port === 0 ? undefined : await portProblem(setting.port);
    if (problem) lines.push(await portFix(setting, problem));
  }
  if (lines.length > 0) throw new PortTakenError(lines);
}

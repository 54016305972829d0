import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { freePort, waitFor } from '@tracker/runtime';
import { ChildService } from './child-service';

/** Thrown when `REDIS_URL` is unset and no `redis-server` binary can be found. */
export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      'REDIS_URL is unset and no redis-server is installed. Install one (Debian/Ubuntu: ' +
        '`sudo apt-get install redis-server`, macOS: `brew install redis`) or set REDIS_URL ' +
        'to a running Redis, e.g. REDIS_URL=redis://127.0.0.1:6379',
    );
    this.name = 'RedisNotInstalledError';
  }
}

function redisServerPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new RedisNotInstalledError();
  }
}

/**
 * Starts a private `redis-server` on a free loopback port. It keeps nothing on disk: the
 * projection rebuilds every aggregate from Kafka, which is the source of truth.
 */
export async function startRedisChild(
  dataDir: string,
): Promise<{ url: string; child: ChildService }> {
  const binary = redisServerPath();
  const port = await freePort();
  mkdirSync(dataDir, { recursive: true });
  const child = ChildService.start(
    'redis',
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dataDir,
    ],
    process.env,
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitFor(`redis-server on port ${port}`, () => canConnect(port), {
    timeoutMs: 10_000,
    intervalMs: 100,
  });
  return { url, child };
}

async function canConnect(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

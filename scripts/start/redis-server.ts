import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { ChildService } from './child-service';
import { waitFor } from '@tracker/runtime';

/** Thrown when `REDIS_URL` is unset and no `redis-server` binary can be found. */
export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      'REDIS_URL is unset and no redis-server is installed. Install one (Debian/Ubuntu: ' +
        '`sudo apt-get install redis-server`, macOS: `brew install redis`) or set REDIS_URL ' +
        'to a running Redis, e.g. REDIS_URL=redis://127.0.0.1:6379 npm start',
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
 * Starts a private `redis-server` on 127.0.0.1 with its append-only file in `dataDir`, so the
 * aggregates, the change stream and the consumed offsets survive a restart of `npm start` just as
 * Kafka's log does; otherwise every start would replay all of Kafka into an empty Redis. No RDB
 * snapshots: the AOF (fsync every second) is the one copy.
 */
export async function startRedisServer(
  dataDir: string,
  port: number,
  track: (child: ChildService) => void,
): Promise<{ url: string; child: ChildService }> {
  const binary = redisServerPath();
  mkdirSync(dataDir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir];
  args.push('--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '');
  const child = ChildService.start('redis', binary, args, { env: process.env });
  track(child);
  await waitFor('redis-server', () => answersPing(port, child), {
    timeoutMs: 30_000,
    intervalMs: 100,
  });
  return { url: `redis://127.0.0.1:${port}`, child };
}

/** True once Redis answers PING with PONG (it answers LOADING while it reads its AOF). */
function answersPing(port: number, server: ChildService): Promise<boolean> {
  if (!server.running) {
    const output = server.recentLines().join('\n  ');
    return Promise.reject(new Error(`redis-server ended during start-up:\n  ${output}`));
  }
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) socket.end();
    });
    socket.once('close', () => resolve(reply.startsWith('+PONG')));
    socket.once('error', () => undefined);
  });
}

import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildEvent, serialize, TOPICS } from '@tracker/contracts';
import {
  aPledge,
  freePort,
  TEST_AUTH_TOKENS,
  TEST_TOKENS,
  TestDatabase,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import { Kafka, logLevel, Producer } from 'kafkajs';

/**
 * The old 30 s session timeout: a member SIGKILLed while it held its partitions kept them this
 * long, so its restarted successor consumed nothing before it.
 */
const OLD_SESSION_TIMEOUT_MS = 30_000;

/**
 * From the kill to the first new event applied: the 6 s session of KAFKA_SESSION_TIMEOUT_MS, or
 * the restart when that is slower, plus a rebalance and a fetch; far below the old session alone.
 */
const RECOVERY_DEADLINE_MS = 20_000;

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
}

describe('a write service SIGKILLed while its consumers hold their partitions', () => {
  let database: TestDatabase;
  let producer: Producer;
  const children: Child[] = [];
  const groupPrefix = uniqueGroupPrefix('recovery');

  beforeAll(async () => {
    database = await TestDatabase.create('recovery');
    const kafka = new Kafka({
      brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all(children.map(kill));
    await producer?.disconnect();
    await database?.drop();
  });

  function start(port: number, env: Record<string, string> = {}): Child {
    const main = join(__dirname, '..', 'apps', 'production-service', 'src', 'main.ts');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', main], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_SCHEMA: database.schema,
        KAFKA_GROUP_PREFIX: groupPrefix,
        AUTH_TOKENS: TEST_AUTH_TOKENS,
        LOG_LEVEL: 'silent',
        ...env,
      },
      stdio: 'ignore',
    });
    const started = { process: child, url: `http://127.0.0.1:${port}` };
    children.push(started);
    return started;
  }

  async function announce(): Promise<string> {
    const pledge = aPledge().build();
    const event = buildEvent('tracker.pledge.announced.v1', pledge, { source: '/pledge-service' });
    await producer.send({ topic: TOPICS.pledges, messages: [serialize(event)] });
    return pledge.pledgeId;
  }

  async function knows(child: Child, pledgeId: string): Promise<boolean> {
    const response = await fetch(`${child.url}/v1/pledges-view/${pledgeId}`, {
      headers: { Authorization: `Bearer ${TEST_TOKENS.ops}` },
    });
    return response.status === 200;
  }

  async function readiness(child: Child): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${child.url}/health/ready`);
    return { status: response.status, body: await response.json() };
  }

  it('is live but not ready while its consumers cannot join their groups', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const child = start(await freePort(), { KAFKA_BROKERS: nowhere });
    await waitFor('the service to serve HTTP', async () => (await readiness(child)).status > 0, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    // The problem+json answer names no check; KafkaConsumersReadiness's spec shows which.
    expect(await readiness(child)).toMatchObject({ status: 503, body: { status: 503 } });
    expect((await fetch(`${child.url}/health/live`)).status).toBe(200);
    await kill(child);
  });

  it(`is ready and consumes a new event well within the old ${OLD_SESSION_TIMEOUT_MS / 1000} s session after a restart`, async () => {
    const port = await freePort();
    const first = start(port);
    await waitFor(
      'the first process to be ready',
      async () => (await readiness(first)).status === 200,
      {
        timeoutMs: 30_000,
        intervalMs: 100,
      },
    );
    const before = await announce();
    await waitFor('the first process to apply a pledge', () => knows(first, before));

    await kill(first);
    const killedAt = Date.now();
    const after = await announce();
    const second = start(port);
    await waitFor(
      'the restarted process to be ready',
      async () => (await readiness(second)).status === 200,
      {
        timeoutMs: RECOVERY_DEADLINE_MS,
        intervalMs: 100,
      },
    );
    await waitFor(
      'the restarted process to apply the pledge announced after the kill',
      () => knows(second, after),
      {
        timeoutMs: Math.max(RECOVERY_DEADLINE_MS - (Date.now() - killedAt), 1),
        intervalMs: 100,
      },
    );
    expect(Date.now() - killedAt).toBeLessThan(RECOVERY_DEADLINE_MS);
    expect(await knows(second, before)).toBe(true);
  }, 90_000);
});

/** SIGKILL, as a crash would; resolves once the process is gone. */
async function kill(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGKILL');
  await exited;
}

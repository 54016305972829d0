import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvent, serialize, TOPICS } from '@tracker/contracts';
import { RunningBroker, startBroker } from '@tracker/kafka-broker';
import { OutboxRelay, outboxChannel } from '@tracker/outbox';
import { METRICS_REGISTRY } from '@tracker/platform';
import {
  aPledge,
  freePort,
  startTestService,
  TEST_AUTH_TOKENS,
  TEST_TOKENS,
  TestDatabase,
  TestService,
  TopicWatcher,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { Registry } from 'prom-client';
import request from 'supertest';
import { AppModule } from '../apps/pledge-service/src/app.module';
import { ProduceHoldingProxy } from './support/produce-holding-proxy';

const admin = `Bearer ${TEST_TOKENS.admin}`;
const factory = (config: Parameters<typeof AppModule.forRoot>[0]) => AppModule.forRoot(config);

function announce(url: string, pledge = aPledge().build()) {
  return request(url).post('/v1/pledges').set('Authorization', admin).send(pledge).expect(201);
}

describe('the outbox relay', () => {
  let database: TestDatabase;
  let watcher: TopicWatcher;
  const services: TestService[] = [];
  const env = () => ({
    DATABASE_SCHEMA: database.schema,
    KAFKA_GROUP_PREFIX: uniqueGroupPrefix('outbox'),
  });

  beforeAll(async () => {
    database = await TestDatabase.create('outbox');
    watcher = await TopicWatcher.start([TOPICS.pledges]);
  });

  // Each test starts its own instances: which one publishes is part of what some tests check.
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.close()));
  });

  afterAll(async () => {
    await watcher?.stop();
    await database?.drop();
  });

  it('publishes a row whose transaction commits after a later-numbered row: none skipped', async () => {
    const service = await startTestService('pledge-service', factory, env());
    services.push(service);
    const slow = buildEvent('tracker.pledge.announced.v1', aPledge().build(), { source: '/test' });
    const message = serialize(slow);
    const writer = new Client({
      connectionString: database.url,
      options: `-c search_path=${database.schema}`,
    });
    await writer.connect();
    try {
      await writer.query('begin');
      await writer.query(
        'insert into outbox (event_id, topic, key, value, headers) values ($1, $2, $3, $4, $5)',
        [slow.id, TOPICS.pledges, message.key, message.value, message.headers],
      );
      await writer.query('select pg_notify($1, $2)', [outboxChannel(database.schema), '']);
      const fast = aPledge().build();
      await announce(service.url, fast);
      await watcher.waitFor('the later row, committed first', (m) => m.key === fast.pledgeId);
      expect(watcher.withKey(slow.partitionkey)).toHaveLength(0);
      await writer.query('commit');
    } finally {
      await writer.end();
    }
    const published = await watcher.waitFor('the earlier row', (m) => m.key === slow.partitionkey);
    expect(published).toHaveLength(1);
    expect(published[0].json).toMatchObject({ id: slow.id });
  });

  // Postgres queues a NOTIFY under one database-wide lock at commit, serialising every write; the
  // publishing instance's own writes wake its relay in memory instead, and only another
  // instance's writes notify it through Postgres.
  it('wakes the relay without NOTIFY for its own instance’s writes, and with it for another’s', async () => {
    const publishing = await startTestService('pledge-service', factory, env());
    services.push(publishing);
    await waitFor('the first instance to publish', () => publishing.app.get(OutboxRelay).isLeader);
    const standby = await startTestService('pledge-service', factory, env());
    services.push(standby);
    expect(standby.app.get(OutboxRelay).isLeader).toBe(false);

    const listener = new Client({ connectionString: database.url });
    await listener.connect();
    let notifications = 0;
    listener.on('notification', () => (notifications += 1));
    await listener.query(`listen "${outboxChannel(database.schema)}"`);
    try {
      const own = Array.from({ length: 5 }, () => aPledge().build());
      for (const pledge of own) await announce(publishing.url, pledge);
      for (const pledge of own) {
        await watcher.waitFor(
          'a write of the publishing instance',
          (m) => m.key === pledge.pledgeId,
        );
      }
      expect(notifications).toBe(0);

      const other = aPledge().build();
      await announce(standby.url, other);
      await watcher.waitFor('the standby’s write', (m) => m.key === other.pledgeId);
      await waitFor('the standby’s NOTIFY', () => notifications === 1);
    } finally {
      await listener.end();
    }
  });

  // Writes of one statement each (UnitOfWork.insertOnce) while the service stops: whatever
  // committed is published, and what the relay published before the stop is not again after it.
  it('publishes each write of a burst once, through a graceful stop in the middle of it', async () => {
    const own = await TestDatabase.create('outbox_burst');
    try {
      const ownEnv = { ...env(), DATABASE_SCHEMA: own.schema };
      const published = async (service: TestService) => {
        const registry = service.app.get<Registry>(METRICS_REGISTRY);
        return async () => {
          const counter = await registry.getSingleMetric('tracker_outbox_published_total')!.get();
          return counter.values[0]?.value ?? 0;
        };
      };
      const first = await startTestService('pledge-service', factory, ownEnv);
      const publishedByFirst = await published(first);
      // Eight writers until the service stops taking requests; the stop comes mid-burst.
      const writers = Array.from({ length: 8 }, async () => {
        for (;;) {
          const answer = await request(first.url)
            .post('/v1/pledges')
            .set('Authorization', admin)
            .send(aPledge().build())
            .catch(() => undefined);
          if (answer?.status !== 201) return;
        }
      });
      await waitFor('a burst under way', async () => {
        return (await own.query('select 1 from pledges limit 100')).length === 100;
      });
      await first.close();
      await Promise.all(writers);
      const second = await startTestService('pledge-service', factory, ownEnv);
      services.push(second);
      await waitFor(
        'the outbox drained',
        async () => (await own.query('select 1 from outbox')).length === 0,
        { timeoutMs: 20_000 },
      );
      const committed = await own.query<{ n: number }>('select count(*)::int as n from pledges');
      expect((await publishedByFirst()) + (await (await published(second))())).toBe(committed[0].n);
    } finally {
      await own.drop();
    }
  });

  it('keeps one entity in commit order when two instances share the outbox', async () => {
    const first = await startTestService('pledge-service', factory, env());
    const second = await startTestService('pledge-service', factory, env());
    services.push(first, second);
    const pledge = aPledge().withQuantity(1000).build();
    await announce(first.url, pledge);
    const quantities = Array.from({ length: 20 }, (_, index) => 1001 + index);
    for (const [index, quantity] of quantities.entries()) {
      await request((index % 2 === 0 ? first : second).url)
        .patch(`/v1/pledges/${pledge.pledgeId}`)
        .set('Authorization', admin)
        .send({ quantity, reason: `tranche ${index}` })
        .expect(200);
    }
    const events = await watcher.waitFor('every amendment', (m) => m.key === pledge.pledgeId, 21);
    expect(events.map((m) => (m.json?.data as { quantity: number }).quantity)).toEqual([
      1000,
      ...quantities,
    ]);
  });
});

describe('a write while Kafka is away', () => {
  let database: TestDatabase;
  let dataDir: string;
  let broker: RunningBroker | undefined;
  let port: number;
  let service: TestService | undefined;
  let watcher: TopicWatcher | undefined;
  let child: { process: ChildProcess; url: string } | undefined;

  beforeAll(async () => {
    database = await TestDatabase.create('kafka-away');
    dataDir = await mkdtemp(join(tmpdir(), 'tracker-outbox-broker-'));
    port = await freePort();
    broker = await startBroker({ port, dataDir, fsync: 'never' });
  });

  afterAll(async () => {
    child?.process.kill('SIGKILL');
    await service?.close();
    await watcher?.stop();
    await broker?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  it('answers 2xx while the broker is stopped, and the event reaches Kafka once it is back', async () => {
    const brokers = `127.0.0.1:${port}`;
    service = await startTestService('pledge-service', factory, {
      DATABASE_SCHEMA: database.schema,
      KAFKA_BROKERS: brokers,
      KAFKA_GROUP_PREFIX: uniqueGroupPrefix('kafka-away'),
    });
    await broker!.stop();
    broker = undefined;
    const pledge = aPledge().build();
    await announce(service.url, pledge);
    broker = await startBroker({ port, dataDir, fsync: 'never' });
    watcher = await TopicWatcher.start([TOPICS.pledges], brokers);
    const events = await watcher.waitFor('the event', (m) => m.key === pledge.pledgeId, 1, 30_000);
    expect(events).toHaveLength(1);
  });

  it('publishes after a restart what a service killed between commit and publish had accepted', async () => {
    // Only the child may publish this schema's outbox from here on.
    await service?.close();
    service = undefined;
    const brokers = `127.0.0.1:${port}`;
    const schema = database.schema;
    const nowhere = `127.0.0.1:${await freePort()}`;
    const pledge = aPledge().build();
    child = await startPledgeChild(schema, nowhere);
    await announce(child.url, pledge);
    await killChild(child);
    const outbox = await database.query<{ n: string }>('select count(*) as n from outbox');
    expect(Number(outbox[0].n)).toBeGreaterThan(0);
    const restarted = await startPledgeChild(schema, brokers);
    child = restarted;
    watcher ??= await TopicWatcher.start([TOPICS.pledges], brokers);
    const events = await watcher.waitFor('the event', (m) => m.key === pledge.pledgeId, 1, 30_000);
    expect(events).toHaveLength(1);
  });
});

describe('a service killed while Kafka has not acknowledged its send', () => {
  // Catches a relay that deletes outbox rows before Kafka acknowledged the send: its row is gone
  // by the time the send leaves, so a kill while Kafka has not answered loses the event.
  let database: TestDatabase;
  let dataDir: string;
  let broker: RunningBroker;
  let proxy: ProduceHoldingProxy;
  let child: { process: ChildProcess; url: string } | undefined;

  beforeAll(async () => {
    database = await TestDatabase.create('unacked-send');
    dataDir = await mkdtemp(join(tmpdir(), 'tracker-outbox-unacked-'));
    broker = await startBroker({ port: 0, dataDir, fsync: 'never', advertisedHost: '127.0.0.2' });
    proxy = await ProduceHoldingProxy.start(
      { host: '127.0.0.2', port: broker.port },
      { host: '127.0.0.1', port: broker.port },
    );
  });

  afterAll(async () => {
    child?.process.kill('SIGKILL');
    await proxy?.stop();
    await broker?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  it('keeps the row through a kill during the send, and publishes the event once after a restart', async () => {
    const brokers = `127.0.0.2:${broker.port}`;
    child = await startPledgeChild(database.schema, brokers);
    proxy.hold();
    const pledge = aPledge().build();
    await announce(child.url, pledge);
    await waitFor('the relay to send the event to Kafka', () => proxy.heldRequests > 0, {
      timeoutMs: 20_000,
    });
    await killChild(child);
    const rows = await database.query<{ key: string; event_id: string }>(
      'select key, event_id from outbox',
    );
    expect(rows.map((row) => row.key)).toEqual([pledge.pledgeId]);
    proxy.release();
    child = await startPledgeChild(database.schema, brokers);
    await waitFor(
      'the restarted relay to empty the outbox',
      async () => (await database.query('select 1 from outbox')).length === 0,
      { timeoutMs: 30_000 },
    );
    expect(await publishedEventIds(brokers, TOPICS.pledges)).toEqual([rows[0].event_id]);
  });
});

/** SIGKILL, as a crash would; resolves once the process is gone. */
async function killChild(child: { process: ChildProcess }): Promise<void> {
  child.process.kill('SIGKILL');
  await waitFor(
    'the killed service to exit',
    () => child.process.exitCode !== null || child.process.signalCode !== null,
  );
}

/** The CloudEvent id of every message on `topic`, read from the beginning to its end. */
async function publishedEventIds(brokers: string, topic: string): Promise<string[]> {
  const kafka = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const total = ends.reduce((sum, end) => sum + Number(end.high) - Number(end.low), 0);
  const watcher = await TopicWatcher.start([topic], brokers);
  try {
    const messages = await watcher.waitFor(`all ${total} messages on ${topic}`, () => true, total);
    return messages.map((message) => String(message.json?.id));
  } finally {
    await watcher.stop();
  }
}

async function startPledgeChild(
  schema: string,
  brokers: string,
): Promise<{ process: ChildProcess; url: string }> {
  const port = await freePort();
  const main = join(__dirname, '..', 'apps', 'pledge-service', 'src', 'main.ts');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', main], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_SCHEMA: schema,
      KAFKA_BROKERS: brokers,
      KAFKA_GROUP_PREFIX: uniqueGroupPrefix('killed'),
      AUTH_TOKENS: TEST_AUTH_TOKENS,
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  // Live, not ready: with Kafka away its consumers never join, yet it takes writes.
  await waitFor(
    'the pledge-service child to serve HTTP',
    async () => (await fetch(`${url}/health/live`)).ok,
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  return { process: child, url };
}

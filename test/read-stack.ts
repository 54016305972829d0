import { serialize, TOPICS, TrackerEvent, topicOf } from '@tracker/contracts';
import { physicalTopic } from '@tracker/kafka';
import {
  startTestService,
  TEST_TOKENS,
  TestRedis,
  TestService,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import { Kafka, logLevel, Producer } from 'kafkajs';
import request from 'supertest';
import { AppModule as GatewayModule, prepareGateway } from '../apps/gateway/src/app.module';
import { AppModule as ProjectionModule } from '../apps/projection-service/src/app.module';
import { TimeTravelAppModule } from '../apps/projection-service/src/time-travel/time-travel.module';

/**
 * The read side alone: a projection-service and a gateway on topics, a Redis key space and
 * groups of the suite's own, fed by CloudEvents published straight to the contract topics (as
 * the write services' relays would). For suites about what the projection folds and the gateway
 * reads, without the write services in between. With `timeTravel`, the time-travel process too
 * (the gateway forwards reads with `asOf` or `knownAt` to it); `gatewayEnv` goes to the gateway
 * only (the dashboard it serves, say).
 */
export interface ReadStack {
  readonly gateway: TestService;
  readonly kafka: Kafka;
  /** The stack's own name of contract topic `name`. */
  topic(name: string): string;
  publish(events: readonly TrackerEvent[]): Promise<void>;
  /** A GET through the gateway with `party`'s token. */
  get(party: keyof typeof TEST_TOKENS, path: string): request.Test;
  stop(): Promise<void>;
}

export async function startReadStack(
  label: string,
  options: { timeTravel?: boolean; gatewayEnv?: Record<string, string> } = {},
): Promise<ReadStack> {
  const redis = new TestRedis(label);
  const groupPrefix = uniqueGroupPrefix(label);
  const env = {
    REDIS_KEY_PREFIX: redis.prefix,
    READ_MODEL_NAMESPACE: label,
    KAFKA_GROUP_PREFIX: groupPrefix,
    KAFKA_TOPIC_PREFIX: `${groupPrefix}.`,
  };
  const topic = (name: string) => physicalTopic({ topicPrefix: env.KAFKA_TOPIC_PREFIX }, name);
  const kafka = new Kafka({
    clientId: label,
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [TOPICS.pledges, TOPICS.production, TOPICS.shipments, TOPICS.stockpiles].map(
        (name) => ({ topic: topic(name), numPartitions: 2 }),
      ),
    });
  } finally {
    await admin.disconnect();
  }
  const projection = await startTestService(
    'projection-service',
    (config) => ProjectionModule.forRoot(config),
    env,
  );
  await waitFor(
    'the projection to be ready',
    async () => (await fetch(`${projection.url}/health/ready`)).ok,
    { timeoutMs: 50_000 },
  );
  const timeTravel = options.timeTravel
    ? await startTestService(
        'projection-service',
        (config) => TimeTravelAppModule.forRoot(config),
        env,
      )
    : undefined;
  const gateway = await startTestService(
    'gateway',
    (config) => GatewayModule.forRoot(config),
    {
      ...env,
      ...options.gatewayEnv,
      ...(timeTravel === undefined ? {} : { TIME_TRAVEL_URL: timeTravel.url }),
    },
    prepareGateway,
  ).catch(async (error: unknown) => {
    await timeTravel?.close();
    await projection.close();
    await redis.cleanup();
    throw error;
  });
  let producer: Producer | undefined;
  return {
    gateway,
    kafka,
    topic,
    async publish(events) {
      producer ??= kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      for (const event of events) {
        await producer.send({
          topic: topic(topicOf(event.type)),
          acks: -1,
          messages: [serialize(event)],
        });
      }
    },
    get: (party, path) =>
      request(gateway.url).get(path).set('Authorization', `Bearer ${TEST_TOKENS[party]}`),
    async stop() {
      await producer?.disconnect();
      await gateway.close();
      await timeTravel?.close();
      await projection.close();
      await redis.cleanup();
    },
  };
}

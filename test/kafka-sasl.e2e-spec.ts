// Kafka knows who wrote (DESIGN.md §4a): the write side runs end to end against a broker with
// SASL on and the tracker's ACLs, as `npm start` runs it; unauthenticated and wrong-password
// clients are refused; a producer principal writes only its own inbound topic; ops reads the
// contract topics; kafkajs and kcat alike.
import { authTokensSchema } from '@tracker/config';
import { buildEvent, inboundShipmentsTopic, serialize, TOPICS } from '@tracker/contracts';
import { TestBroker } from '@tracker/kafka-broker/testing/test-broker';
import { kcat, KcatFailed } from '@tracker/kafka-broker/testing/kcat';
import {
  aLot,
  aMilestone,
  anAllocation,
  aPledge,
  aShipment,
  TEST_AUTH_TOKENS,
  TEST_TOKENS,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import { Kafka, KafkaJSProtocolError, logLevel, SASLOptions } from 'kafkajs';
import request from 'supertest';
import { generateServiceCredentials, trackerKafkaSecurity } from '../scripts/start/kafka-security';
import { startWriteStack, WriteStack } from './write-stack';

const MECHANISM = 'scram-sha-512';

describe('Kafka with SASL and the tracker ACLs', () => {
  const groupPrefix = uniqueGroupPrefix('sasl');
  const topicPrefix = `${groupPrefix}.`;
  const services = generateServiceCredentials();
  let broker: TestBroker;
  let stack: WriteStack;
  const topic = (name: string) => `${topicPrefix}${name}`;

  /** A kafkajs client logged in as `username` with `password` (no SASL when left out). */
  function client(username?: string, password?: string, mechanism = MECHANISM): Kafka {
    const sasl =
      username === undefined ? undefined : ({ mechanism, username, password } as SASLOptions);
    return new Kafka({
      brokers: broker.brokers,
      sasl,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
  }

  beforeAll(async () => {
    const tokens = authTokensSchema.parse(TEST_AUTH_TOKENS);
    broker = await TestBroker.start({
      security: trackerKafkaSecurity(tokens, services, { topicPrefix, groupPrefix }),
    });
    stack = await startWriteStack(
      'sasl',
      {
        KAFKA_BROKERS: broker.brokers.join(','),
        KAFKA_SASL_MECHANISM: MECHANISM,
        KAFKA_GROUP_PREFIX: groupPrefix,
        KAFKA_TOPIC_PREFIX: topicPrefix,
      },
      (service) => ({
        KAFKA_SASL_USERNAME: services[service].username,
        KAFKA_SASL_PASSWORD: services[service].password,
      }),
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await broker?.dispose();
  });

  const post = (token: string, path: string, body: object) =>
    request(stack.gateway.url).post(path).set('Authorization', `Bearer ${token}`).send(body);

  /** Events `ops` reads on the contract topic `name`, from the beginning, until `done` holds. */
  async function readAsOps(name: string, done: (ids: string[]) => boolean): Promise<string[]> {
    const consumer = client('ops', TEST_TOKENS.ops).consumer({
      groupId: `ops.${groupPrefix}-${name}`,
    });
    const ids: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic(name)], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          ids.push((JSON.parse(String(message.value)) as { subject: string }).subject);
        },
      });
      await waitFor(`ops to read ${name}`, () => done(ids));
      return ids;
    } finally {
      await consumer.disconnect();
    }
  }

  it('carries writes end to end: HTTP through the services, and a producer on its own topic', async () => {
    const pledge = aPledge().withDonor('DE').build();
    await post(TEST_TOKENS.donorDE, '/v1/pledges', pledge).expect(201);
    const lot = aLot().withLotId(`SASL-${pledge.pledgeId}`).build();
    await post(TEST_TOKENS.producerRheinmetall, '/v1/lots', lot).expect(201);
    const allocation = anAllocation().fromLot(lot).forPledge(pledge).build();
    await waitFor(
      'the allocation',
      async () =>
        (await post(TEST_TOKENS.producerRheinmetall, '/v1/allocations', allocation)).status === 201,
    );
    const shipment = aShipment().forPledge(pledge).withLots(lot).build();
    await waitFor(
      'the dispatch',
      async () =>
        (await post(TEST_TOKENS.producerRheinmetall, '/v1/shipments', shipment)).status === 201,
    );

    const producer = client('producer:rheinmetall', TEST_TOKENS.producerRheinmetall).producer();
    await producer.connect();
    const milestone = aMilestone()
      .forShipment(shipment)
      .buildEvent({ source: '/producers/rheinmetall' });
    await producer.send({
      topic: topic(inboundShipmentsTopic('rheinmetall')),
      messages: [serialize(milestone)],
    });
    await producer.disconnect();

    expect(await readAsOps(TOPICS.pledges, (ids) => ids.includes(pledge.pledgeId))).toContain(
      pledge.pledgeId,
    );
    const shipped = await readAsOps(
      TOPICS.shipments,
      (ids) => ids.filter((id) => id === shipment.shipmentId).length === 2,
    );
    expect(shipped.filter((id) => id === shipment.shipmentId)).toHaveLength(2);
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'])(
    'lets a producer write its own inbound topic with %s, and nothing else',
    async (mechanism) => {
      const producer = client('producer:nammo', TEST_TOKENS.producerNammo, mechanism).producer();
      await producer.connect();
      try {
        const event = serialize(aMilestone().buildEvent({ source: '/producers/nammo' }));
        await producer.send({ topic: topic(inboundShipmentsTopic('nammo')), messages: [event] });
        for (const forbidden of [
          TOPICS.pledges,
          TOPICS.shipments,
          inboundShipmentsTopic('rheinmetall'),
        ]) {
          await expect(
            producer.send({ topic: topic(forbidden), messages: [event] }),
          ).rejects.toThrow(/Not authorized to access topics: \[Topic authorization failed\]/);
        }
      } finally {
        await producer.disconnect();
      }
    },
  );

  it('refuses an unauthenticated client, a wrong password and an unknown user', async () => {
    await expect(client().admin().listTopics()).rejects.toThrow();
    await expect(
      client('producer:nammo', 'not-the-token-at-all').admin().connect(),
    ).rejects.toThrow(
      /SASL SCRAM SHA512 authentication failed|Authentication failed|SASL_AUTHENTICATION_FAILED/i,
    );
    await expect(
      client('producer:nobody', TEST_TOKENS.producerNammo).admin().connect(),
    ).rejects.toThrow();
  });

  it('lets ops read the contract topics in its own groups only, and a donor read nothing', async () => {
    const wrongGroup = client('ops', TEST_TOKENS.ops).consumer({
      groupId: `${groupPrefix}.ops-sneaks-in`,
    });
    await wrongGroup.connect();
    await wrongGroup.subscribe({ topics: [topic(TOPICS.pledges)], fromBeginning: true });
    const crashed = new Promise<unknown>((resolve) =>
      wrongGroup.on(wrongGroup.events.CRASH, ({ payload }) => resolve(payload.error)),
    );
    await wrongGroup.run({ eachMessage: async () => undefined });
    // kafkajs reports the refused FindCoordinator (GROUP_AUTHORIZATION_FAILED) as no coordinator.
    expect(await crashed).toMatchObject({ name: 'KafkaJSGroupCoordinatorNotFound' });
    await wrongGroup.disconnect();

    const donor = client('donor:DE', TEST_TOKENS.donorDE).admin();
    await donor.connect();
    await expect(donor.fetchTopicOffsets(topic(TOPICS.pledges))).rejects.toBeInstanceOf(
      KafkaJSProtocolError,
    );
    await donor.disconnect();
  });

  it('holds kcat (librdkafka) to the same rules', async () => {
    const [host] = broker.brokers;
    const as = (user: string, password: string) => [
      '-b',
      host,
      '-X',
      'security.protocol=SASL_PLAINTEXT',
      '-X',
      'sasl.mechanisms=SCRAM-SHA-512',
      '-X',
      `sasl.username=${user}`,
      '-X',
      `sasl.password=${password}`,
    ];
    const event = JSON.stringify(
      buildEvent('tracker.shipment.milestone.v1', aMilestone().build(), {
        source: '/producers/nammo',
      }),
    );
    await kcat(
      [
        ...as('producer:nammo', TEST_TOKENS.producerNammo),
        '-t',
        topic(inboundShipmentsTopic('nammo')),
        '-P',
      ],
      `${event}\n`,
    );
    await expect(
      kcat(
        [...as('producer:nammo', TEST_TOKENS.producerNammo), '-t', topic(TOPICS.pledges), '-P'],
        `${event}\n`,
      ),
    ).rejects.toBeInstanceOf(KcatFailed);
    await expect(
      kcat(
        [
          ...as('producer:nammo', 'a-wrong-password-here'),
          '-t',
          topic(inboundShipmentsTopic('nammo')),
          '-P',
        ],
        `${event}\n`,
      ),
    ).rejects.toBeInstanceOf(KcatFailed);
  });
});

import { uniqueName, waitFor } from '@tracker/testing';
import { ApiKey } from '../src/protocol/api-keys';
import { ErrorCode } from '../src/protocol/error-codes';
import { Reader } from '../src/protocol/reader';
import { Writer } from '../src/protocol/writer';
import { SASL_MECHANISMS, type SaslMechanism } from '../src/security/sasl-exchange';
import { KafkaTestKit } from '../src/testing/kafka-test-kit';
import { RawConnection } from '../src/testing/raw-connection';
import { ALICE_PREFIX, kitAs, TEST_SECURITY } from '../src/testing/security.fixture';
import { TestBroker } from '../src/testing/test-broker';
import { useTestBroker } from '../src/testing/use-test-broker';

/** SaslHandshake response: error code and the enabled mechanisms. */
function readHandshake(body: Buffer): { errorCode: number; mechanisms: string[] } {
  const reader = new Reader(body);
  return { errorCode: reader.int16(), mechanisms: reader.stringArray() };
}

function handshake(connection: RawConnection, mechanism: string, version = 1): void {
  connection.request(ApiKey.SaslHandshake, version, 1, new Writer().string(mechanism).toBuffer());
}

describe('SASL authentication (kafkajs 2.2.4)', () => {
  const suite = useTestBroker({ security: TEST_SECURITY });
  const kits: KafkaTestKit[] = [];

  afterEach(async () => {
    await Promise.all(kits.splice(0).map((kit) => kit.disconnectAll()));
  });

  function track(kit: KafkaTestKit): KafkaTestKit {
    kits.push(kit);
    return kit;
  }

  it.each(SASL_MECHANISMS)(
    'lets alice produce and consume in a group with %s',
    async (mechanism: SaslMechanism) => {
      const kit = track(kitAs(suite.broker.brokers, 'alice', mechanism));
      const topic = uniqueName(`${ALICE_PREFIX}sasl`);
      const producer = kit.producer();
      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'k', value: mechanism }] });

      const consumer = kit.consumer({ groupId: uniqueName(`${ALICE_PREFIX}group`) });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen: string[] = [];
      await consumer.run({
        eachMessage: async ({ message }) => void seen.push(String(message.value)),
      });
      await waitFor('the produced message', () => seen.length > 0, { timeoutMs: 15_000 });
      expect(seen).toEqual([mechanism]);
    },
  );

  it.each(SASL_MECHANISMS)(
    'refuses a wrong password with %s: SASL_AUTHENTICATION_FAILED',
    async (mechanism: SaslMechanism) => {
      const admin = track(kitAs(suite.broker.brokers, 'alice', mechanism, 'wrong')).admin();
      await expect(admin.connect()).rejects.toMatchObject({
        name: 'KafkaJSSASLAuthenticationError',
        // kafkajs wraps the broker's SASL_AUTHENTICATION_FAILED message in its own.
        message: expect.stringContaining(': Authentication failed') as unknown,
      });
    },
  );

  it('refuses an unknown user', async () => {
    const kit = track(
      new KafkaTestKit(suite.broker.brokers, {
        sasl: { mechanism: 'scram-sha-512', username: 'mallory', password: 'x' },
      }),
    );
    await expect(kit.admin().connect()).rejects.toMatchObject({
      name: 'KafkaJSSASLAuthenticationError',
    });
  });

  it('closes the connection of a client that sends requests without authenticating', async () => {
    const admin = suite.kit.admin();
    await expect(admin.listTopics()).rejects.toMatchObject({
      name: expect.stringMatching(
        /KafkaJS(Connection|NumberOfRetriesExceeded|NonRetriable)/,
      ) as unknown,
    });

    const connection = await RawConnection.open(suite.broker.port);
    try {
      connection.request(ApiKey.Metadata, 1, 1, new Writer().int32(-1).toBuffer());
      await connection.closedByBroker();
    } finally {
      await connection.close();
    }
  });

  it('answers an unsupported mechanism with UNSUPPORTED_SASL_MECHANISM and the enabled ones, then closes', async () => {
    const connection = await RawConnection.open(suite.broker.port);
    try {
      handshake(connection, 'GSSAPI');
      expect(readHandshake((await connection.response()).body)).toEqual({
        errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM,
        mechanisms: [...SASL_MECHANISMS],
      });
      await connection.closedByBroker();
    } finally {
      await connection.close();
    }
  });

  it('serves the flexible SaslAuthenticate v2: header v2 in, header v1 (tagged fields) out', async () => {
    const connection = await RawConnection.open(suite.broker.port);
    try {
      handshake(connection, 'PLAIN');
      expect(readHandshake((await connection.response()).body).errorCode).toBe(ErrorCode.NONE);
      const token = Buffer.from('\u0000alice\u0000alice-secret');
      const frame = new Writer()
        .int16(ApiKey.SaslAuthenticate)
        .int16(2)
        .int32(5)
        .nullableString('raw-client')
        .uvarint(0)
        .uvarint(token.length + 1)
        .raw(token)
        .uvarint(0);
      connection.sendFrame(frame.toBuffer());
      const response = await connection.response();
      expect(response.correlationId).toBe(5);
      const body = new Reader(response.body);
      body.taggedFields();
      expect(body.int16()).toBe(ErrorCode.NONE);
      expect(body.compactNullableString()).toBeNull();
      connection.request(ApiKey.Metadata, 1, 6, new Writer().int32(0).toBuffer());
      expect((await connection.response()).correlationId).toBe(6);
    } finally {
      await connection.close();
    }
  });

  it('speaks the legacy v0 flow: bare PLAIN token after a v0 handshake', async () => {
    const connection = await RawConnection.open(suite.broker.port);
    try {
      handshake(connection, 'PLAIN', 0);
      expect(readHandshake((await connection.response()).body).errorCode).toBe(ErrorCode.NONE);
      connection.sendFrame(Buffer.from('\u0000alice\u0000alice-secret'));
      expect((await connection.response()).body).toHaveLength(0);
      connection.request(ApiKey.Metadata, 1, 7, new Writer().int32(0).toBuffer());
      expect((await connection.response()).correlationId).toBe(7);
    } finally {
      await connection.close();
    }
  });
});

describe('SASL requests on a broker without SASL', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await TestBroker.start();
  });

  afterAll(async () => {
    await broker.dispose();
  });

  it('answers SaslHandshake with ILLEGAL_SASL_STATE and keeps the connection, as a PLAINTEXT listener does', async () => {
    const connection = await RawConnection.open(broker.port);
    try {
      handshake(connection, 'PLAIN');
      expect(readHandshake((await connection.response()).body)).toEqual({
        errorCode: ErrorCode.ILLEGAL_SASL_STATE,
        mechanisms: [],
      });
      connection.request(ApiKey.Metadata, 1, 2, new Writer().int32(0).toBuffer());
      expect((await connection.response()).correlationId).toBe(2);
    } finally {
      await connection.close();
    }
  });
});

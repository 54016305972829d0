import { uniqueName } from '@tracker/testing';
import { kcat, KcatFailed, KcatProcess } from '../src/testing/kcat';
import { SASL_MECHANISMS, type SaslMechanism } from '../src/security/sasl-exchange';
import { ALICE_PREFIX, TEST_SECURITY, USERS } from '../src/testing/security.fixture';
import { useTestBroker } from '../src/testing/use-test-broker';

/** librdkafka settings for SASL_PLAINTEXT as alice (or with another password). */
function saslArgs(mechanism: SaslMechanism, password: string = USERS.alice): string[] {
  return [
    '-X',
    'security.protocol=SASL_PLAINTEXT',
    '-X',
    `sasl.mechanisms=${mechanism}`,
    '-X',
    'sasl.username=alice',
    '-X',
    `sasl.password=${password}`,
  ];
}

describe('kcat (librdkafka 2.0.2) over SASL_PLAINTEXT', () => {
  const suite = useTestBroker({ security: TEST_SECURITY });
  const running: KcatProcess[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((child) => child.stop()));
  });

  it.each(SASL_MECHANISMS)('produces and consumes in a group with %s', async (mechanism) => {
    const address = suite.broker.brokers[0];
    const topic = uniqueName(`${ALICE_PREFIX}kcat`);
    const lines = ['a:1', 'b:2', 'c:3'];
    await kcat(
      ['-b', address, ...saslArgs(mechanism), '-t', topic, '-P', '-K:'],
      lines.join('\n') + '\n',
    );

    const consumer = KcatProcess.start([
      '-b',
      address,
      ...saslArgs(mechanism),
      '-G',
      uniqueName(`${ALICE_PREFIX}kcat-group`),
      '-u',
      '-X',
      'auto.offset.reset=earliest',
      '-f',
      '%k:%s\\n',
      topic,
    ]);
    running.push(consumer);
    expect(await consumer.waitForLines(lines.length, 30_000)).toEqual(lines);
  });

  it.each(SASL_MECHANISMS)('is refused with a wrong password (%s)', async (mechanism) => {
    const address = suite.broker.brokers[0];
    const failure = kcat([
      '-b',
      address,
      ...saslArgs(mechanism, 'wrong'),
      '-X',
      'socket.timeout.ms=3000',
      '-m',
      '3',
      '-L',
    ]);
    await expect(failure).rejects.toThrow(KcatFailed);
    await expect(failure).rejects.toThrow(/Authentication failed/);
  });

  it('is refused when writing a topic alice may not write', async () => {
    const address = suite.broker.brokers[0];
    const topic = uniqueName('not-alices');
    const failure = kcat(
      [
        '-b',
        address,
        ...saslArgs('SCRAM-SHA-256'),
        '-X',
        'message.timeout.ms=5000',
        '-t',
        topic,
        '-P',
      ],
      'refused\n',
    );
    await expect(failure).rejects.toThrow(/Topic authorization failed/);
  });
});

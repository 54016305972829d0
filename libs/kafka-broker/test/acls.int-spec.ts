import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
  type Admin,
} from 'kafkajs';
import { uniqueName, waitFor } from '@tracker/testing';
import { KafkaTestKit } from '../src/testing/kafka-test-kit';
import { ALICE_PREFIX, kitAs, TEST_SECURITY, type TestUser } from '../src/testing/security.fixture';
import { TestBroker } from '../src/testing/test-broker';
import { useTestBroker } from '../src/testing/use-test-broker';

function literal(
  resourceType: AclResourceTypes,
  resourceName: string,
  principal: string,
  operation: AclOperationTypes,
): AclEntry & {
  resourceType: AclResourceTypes;
  resourceName: string;
  resourcePatternType: ResourcePatternTypes;
} {
  return {
    resourceType,
    resourceName,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/** Every binding whose principal is `principal`. */
function filterFor(principal: string) {
  return {
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    principal,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  };
}

describe('ACL authorization (kafkajs 2.2.4)', () => {
  const suite = useTestBroker({ security: TEST_SECURITY });
  const kits: KafkaTestKit[] = [];

  afterEach(async () => {
    await Promise.all(kits.splice(0).map((kit) => kit.disconnectAll()));
  });

  async function adminAs(user: TestUser): Promise<Admin> {
    const kit = kitAs(suite.broker.brokers, user);
    kits.push(kit);
    const admin = kit.admin();
    await admin.connect();
    return admin;
  }

  async function topicByAdmin(prefix: string): Promise<string> {
    const topic = uniqueName(prefix);
    await (await adminAs('admin')).createTopics({ topics: [{ topic }] });
    return topic;
  }

  it('refuses a produce without WRITE on the topic with TOPIC_AUTHORIZATION_FAILED', async () => {
    const topic = await topicByAdmin('bob-readonly');
    const admin = await adminAs('admin');
    await admin.createAcls({
      acl: [literal(AclResourceTypes.TOPIC, topic, 'User:bob', AclOperationTypes.READ)],
    });
    const kit = kitAs(suite.broker.brokers, 'bob');
    kits.push(kit);
    const producer = kit.producer();
    await producer.connect();

    await expect(producer.send({ topic, messages: [{ value: 'x' }] })).rejects.toMatchObject({
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
  });

  it('refuses a consumer without READ on its group with GROUP_AUTHORIZATION_FAILED', async () => {
    const topic = await topicByAdmin('bob-consume');
    const groupId = uniqueName('bob-group');
    await (
      await adminAs('admin')
    ).createAcls({
      acl: [
        literal(AclResourceTypes.TOPIC, topic, 'User:bob', AclOperationTypes.READ),
        literal(AclResourceTypes.GROUP, groupId, 'User:bob', AclOperationTypes.DESCRIBE),
      ],
    });
    const kit = kitAs(suite.broker.brokers, 'bob');
    kits.push(kit);
    const consumer = kit.consumer({ groupId, retry: { retries: 0 } });
    let crash: unknown;
    consumer.on(consumer.events.CRASH, (event) => (crash = event.payload.error));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer
      .run({ eachMessage: async () => undefined })
      .catch((error: unknown) => (crash = error));

    await waitFor('the consumer to crash', () => crash !== undefined, { timeoutMs: 15_000 });
    expect(crash).toMatchObject({ type: 'GROUP_AUTHORIZATION_FAILED' });
  });

  it('refuses an idempotent producer that may write no topic with CLUSTER_AUTHORIZATION_FAILED', async () => {
    const kit = kitAs(suite.broker.brokers, 'bob');
    kits.push(kit);
    const producer = kit.producer({ idempotent: true });

    // kafkajs asks InitProducerId while connecting an idempotent producer.
    await expect(producer.connect()).rejects.toMatchObject({
      type: 'CLUSTER_AUTHORIZATION_FAILED',
    });

    const alice = kitAs(suite.broker.brokers, 'alice');
    kits.push(alice);
    const allowed = alice.producer({ idempotent: true });
    await allowed.connect();
    const topic = uniqueName(`${ALICE_PREFIX}idem`);
    await expect(allowed.send({ topic, messages: [{ value: 'x' }] })).resolves.toHaveLength(1);
  });

  it('lists to a principal only the topics it may describe', async () => {
    const hidden = await topicByAdmin('hidden');
    const mine = await topicByAdmin(`${ALICE_PREFIX}visible`);

    const topics = await (await adminAs('alice')).listTopics();

    expect(topics).toContain(mine);
    expect(topics).not.toContain(hidden);
  });

  it('lets a super user create, describe and delete ACLs, and refuses them to others', async () => {
    const admin = await adminAs('admin');
    const binding = literal(
      AclResourceTypes.GROUP,
      uniqueName('g'),
      'User:bob',
      AclOperationTypes.READ,
    );

    await admin.createAcls({ acl: [binding] });
    const described = await admin.describeAcls(filterFor('User:bob'));
    expect(described.resources).toContainEqual({
      resourceType: binding.resourceType,
      resourceName: binding.resourceName,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      acls: [
        {
          principal: 'User:bob',
          host: '*',
          operation: AclOperationTypes.READ,
          permissionType: AclPermissionTypes.ALLOW,
        },
      ],
    });

    const alice = await adminAs('alice');
    await expect(alice.createAcls({ acl: [binding] })).rejects.toMatchObject({
      type: 'CLUSTER_AUTHORIZATION_FAILED',
    });
    await expect(alice.describeAcls(filterFor('User:bob'))).rejects.toMatchObject({
      type: 'CLUSTER_AUTHORIZATION_FAILED',
    });
    await expect(alice.deleteAcls({ filters: [filterFor('User:bob')] })).rejects.toMatchObject({
      type: 'CLUSTER_AUTHORIZATION_FAILED',
    });

    const deleted = await admin.deleteAcls({
      filters: [{ ...filterFor('User:bob'), resourceName: binding.resourceName }],
    });
    expect(deleted.filterResponses[0].matchingAcls).toHaveLength(1);
    expect((await admin.describeAcls(filterFor('User:bob'))).resources).not.toContainEqual(
      expect.objectContaining({ resourceName: binding.resourceName }),
    );
  });

  it('keeps configured ACLs: DeleteAcls reports them with INVALID_REQUEST and they stay', async () => {
    const admin = await adminAs('admin');

    await expect(admin.deleteAcls({ filters: [filterFor('User:alice')] })).rejects.toMatchObject({
      type: 'INVALID_REQUEST',
    });
    expect((await admin.describeAcls(filterFor('User:alice'))).resources).toHaveLength(2);
  });

  it('keeps ACLs created through the API across a broker restart', async () => {
    const topic = await topicByAdmin('restart');
    await (
      await adminAs('admin')
    ).createAcls({
      acl: [literal(AclResourceTypes.TOPIC, topic, 'User:bob', AclOperationTypes.WRITE)],
    });
    await Promise.all(kits.splice(0).map((kit) => kit.disconnectAll()));

    await suite.restartBroker();

    const described = await (await adminAs('admin')).describeAcls(filterFor('User:bob'));
    expect(described.resources).toContainEqual(expect.objectContaining({ resourceName: topic }));
    const kit = kitAs(suite.broker.brokers, 'bob');
    kits.push(kit);
    const producer = kit.producer();
    await producer.connect();
    await expect(
      producer.send({ topic, messages: [{ value: 'after restart' }] }),
    ).resolves.toHaveLength(1);
  });
});

describe('ACLs without SASL: every client is User:ANONYMOUS', () => {
  const anonymous = (resourceName: string, operation: 'WRITE' | 'CREATE') =>
    ({
      resourceType: 'TOPIC',
      resourceName,
      patternType: 'PREFIXED',
      principal: 'User:ANONYMOUS',
      operation,
    }) as const;
  const suite = useTestBroker({
    security: { acls: [anonymous('anon-', 'WRITE'), anonymous('anon-new-', 'CREATE')] },
  });

  it('lets an unauthenticated kafkajs client do what User:ANONYMOUS may, and nothing else', async () => {
    const producer = suite.kit.producer({ retry: { retries: 0 } });
    await producer.connect();
    // WRITE and CREATE: auto-created and written.
    await expect(
      producer.send({ topic: uniqueName('anon-new-'), messages: [{ value: 'x' }] }),
    ).resolves.toHaveLength(1);
    // WRITE alone does not create a topic: auto-creation needs CREATE too.
    await expect(
      producer.send({ topic: uniqueName('anon-'), messages: [{ value: 'x' }] }),
    ).rejects.toMatchObject({
      name: 'KafkaJSNonRetriableError',
      message: expect.stringContaining('Topic authorization failed') as unknown,
    });
    const admin = suite.kit.admin();
    await admin.connect();
    await expect(
      admin.createTopics({ topics: [{ topic: uniqueName('other-') }] }),
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'TOPIC_AUTHORIZATION_FAILED' })],
    });
  });
});

describe('ACL APIs on a broker without security', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await TestBroker.start();
  });

  afterAll(async () => {
    await broker.dispose();
  });

  it('answers SECURITY_DISABLED, as Kafka does without an authorizer', async () => {
    const kit = new KafkaTestKit(broker.brokers);
    try {
      const admin = kit.admin();
      await admin.connect();
      await expect(admin.describeAcls(filterFor('User:bob'))).rejects.toMatchObject({
        type: 'SECURITY_DISABLED',
      });
    } finally {
      await kit.disconnectAll();
    }
  });
});

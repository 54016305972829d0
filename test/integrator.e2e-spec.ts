// The integrator example (examples/integrator) against the running write side, as an integrator
// would run it: logged in on Kafka as `ops` with SASL and the tracker's ACLs, it follows the
// contract topics, validates each event with the published contracts and logs one line per
// pledge status change; an invalid event is refused and the consumer carries on; wrong
// credentials stop its start with a message that says so.
import { INestMicroservice } from '@nestjs/common';
import { authTokensSchema } from '@tracker/config';
import { buildEvent, serialize, TOPICS } from '@tracker/contracts';
import { TestBroker } from '@tracker/kafka-broker/testing/test-broker';
import {
  aDelivery,
  anAlert,
  anAlertClearance,
  aPledge,
  aShipment,
  TEST_AUTH_TOKENS,
  TEST_TOKENS,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { IntegratorConfigError, loadIntegratorConfig } from '../examples/integrator/src/config';
import { IntegratorStartError, startIntegrator } from '../examples/integrator/src/integrator';
import { StatusLog } from '../examples/integrator/src/status-log';
import { generateServiceCredentials, trackerKafkaSecurity } from '../scripts/start/kafka-security';
import { startWriteStack, WriteStack } from './write-stack';

const MECHANISM = 'scram-sha-512';

/** Collects the integrator's lines, so the test can wait for them. */
class CollectedLog implements StatusLog {
  readonly changes: string[] = [];
  readonly refusals: string[] = [];
  change(line: string): void {
    this.changes.push(line);
  }
  refused(line: string): void {
    this.refusals.push(line);
  }
}

describe('the integrator example', () => {
  const groupPrefix = uniqueGroupPrefix('integrator');
  const topicPrefix = `${groupPrefix}.`;
  const services = generateServiceCredentials();
  const log = new CollectedLog();
  let broker: TestBroker;
  let stack: WriteStack;
  let integrator: INestMicroservice | undefined;

  const integratorEnv = (password: string) => ({
    KAFKA_BROKERS: broker.brokers.join(','),
    KAFKA_SASL_MECHANISM: MECHANISM,
    KAFKA_SASL_USERNAME: 'ops',
    KAFKA_SASL_PASSWORD: password,
    KAFKA_GROUP_ID: `ops.${groupPrefix}`,
    KAFKA_TOPIC_PREFIX: topicPrefix,
  });

  /** A client logged in as `admin`, the broker's super user: an authorised writer. */
  const asAdmin = () =>
    new Kafka({
      brokers: broker.brokers,
      sasl: { mechanism: MECHANISM, username: 'admin', password: TEST_TOKENS.admin },
      logLevel: logLevel.NOTHING,
    });

  beforeAll(async () => {
    const tokens = authTokensSchema.parse(TEST_AUTH_TOKENS);
    broker = await TestBroker.start({
      security: trackerKafkaSecurity(tokens, services, { topicPrefix, groupPrefix }),
    });
    stack = await startWriteStack(
      'integrator',
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
    // projection-service creates the alerts topic; this stack runs none, and a reader may not.
    const admin = asAdmin().admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: stack.topic(TOPICS.alerts) }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    integrator = await startIntegrator(loadIntegratorConfig(integratorEnv(TEST_TOKENS.ops)), {
      log,
      logger: ['error'],
    });
  });

  afterAll(async () => {
    await integrator?.close();
    await stack?.stop();
    await broker?.dispose();
  });

  const send = (method: 'post' | 'patch', token: string, path: string, body: object) =>
    request(stack.gateway.url)[method](path).set('Authorization', `Bearer ${token}`).send(body);

  const logged = (what: string, line: string) =>
    waitFor(`the integrator to log ${what}`, () => log.changes.includes(line));

  it('logs each status change of a pledge, and refuses an invalid event without stopping', async () => {
    const pledge = aPledge().withDonor('DE').withRecipient('UA').withQuantity(100_000).build();
    const label = `pledge ${pledge.pledgeId} (DE → UA, AMMO-155MM)`;
    await send('post', TEST_TOKENS.donorDE, '/v1/pledges', pledge).expect(201);
    await logged('the announcement', `${label}: announced 100,000`);

    // An authorised writer (admin is the broker's super user) puts a broken event on the topic.
    const valid = buildEvent('tracker.pledge.announced.v1', aPledge().build(), {
      source: '/pledge-service',
    });
    const broken = { ...valid, data: { ...valid.data, quantity: -5 } };
    const producer = asAdmin().producer();
    await producer.connect();
    await producer.send({
      topic: stack.topic(TOPICS.pledges),
      messages: [
        {
          key: broken.partitionkey,
          value: JSON.stringify(broken),
          headers: { 'content-type': 'application/cloudevents+json' },
        },
      ],
    });
    await producer.disconnect();
    await waitFor('the integrator to refuse the broken event', () => log.refusals.length > 0);
    expect(log.refusals[0]).toMatch(
      new RegExp(`^refused ${stack.topic(TOPICS.pledges).replace(/\./g, '\\.')}\\[\\d+\\]@\\d+: `),
    );
    expect(log.refusals[0]).toMatch(
      /: contract violation on tracker\.pledges\.v1 \(tracker\.pledge\.announced\.v1\): data\.quantity [^;]+$/,
    );
    expect(log.changes.join('\n')).not.toContain(broken.data.pledgeId);

    await send('patch', TEST_TOKENS.donorDE, `/v1/pledges/${pledge.pledgeId}`, {
      quantity: 80_000,
      reason: 'second tranche postponed',
    }).expect(200);
    await logged('the amendment', `${label}: amended to quantity 80,000: second tranche postponed`);

    const shipment = aShipment().forPledge(pledge).withoutLots().withQuantity(36_000).build();
    await waitFor(
      'the dispatch',
      async () =>
        (await send('post', TEST_TOKENS.donorDE, '/v1/shipments', shipment)).status === 201,
    );
    await logged(
      'the dispatch',
      `${label}: shipment ${shipment.shipmentId} dispatched 36,000 from ${shipment.origin} to ${shipment.destination}`,
    );

    const { shipmentId: _, ...receipt } = aDelivery().forShipment(shipment).build();
    await send(
      'post',
      TEST_TOKENS.recipientUA,
      `/v1/shipments/${shipment.shipmentId}/delivery`,
      receipt,
    ).expect(200);
    await logged(
      'the receipt',
      `shipment ${shipment.shipmentId}: accepted 36,000 of pledge ${pledge.pledgeId}`,
    );

    await send('post', TEST_TOKENS.donorDE, `/v1/pledges/${pledge.pledgeId}/cancel`, {
      reason: 'superseded by joint procurement',
    }).expect(200);
    await logged('the cancellation', `${label}: cancelled: superseded by joint procurement`);
    expect(log.refusals).toHaveLength(1);
    // One line per change, in the order they happened.
    expect(log.changes.filter((line) => line.includes(pledge.pledgeId))).toEqual([
      `${label}: announced 100,000`,
      `${label}: amended to quantity 80,000: second tranche postponed`,
      `${label}: shipment ${shipment.shipmentId} dispatched 36,000 from ${shipment.origin} to ${shipment.destination}`,
      `shipment ${shipment.shipmentId}: accepted 36,000 of pledge ${pledge.pledgeId}`,
      `${label}: cancelled: superseded by joint procurement`,
    ]);
  });

  it('logs alerts raised and cleared on tracker.alerts.v1', async () => {
    const raised = anAlert().buildEvent();
    const cleared = anAlertClearance().forAlert(raised.data).withReason('delivered').buildEvent();
    const producer = asAdmin().producer();
    await producer.connect();
    await producer.send({
      topic: stack.topic(TOPICS.alerts),
      messages: [serialize(raised), serialize(cleared)],
    });
    await producer.disconnect();
    const { alertId, entityId, message } = raised.data;
    await logged(
      'the alert',
      `alert ${alertId} raised (warning pledge-overdue on pledge ${entityId}): ${message}`,
    );
    await logged('its clearance', `alert ${alertId} cleared: delivered`);
  });

  it('refuses to start with a wrong password, saying so', async () => {
    const attempt = startIntegrator(
      loadIntegratorConfig(integratorEnv('not-the-ops-token-at-all')),
      {
        log: new CollectedLog(),
        logger: false,
      },
    );
    await expect(attempt).rejects.toBeInstanceOf(IntegratorStartError);
    await expect(attempt).rejects.toThrow(
      /Kafka refused the credentials of user "ops" \(scram-sha-512\): check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
    );
  });

  it('refuses to start on a bad environment, naming each bad variable', () => {
    const load = () =>
      loadIntegratorConfig({ KAFKA_BROKERS: 'not a broker', KAFKA_SASL_MECHANISM: 'plain' });
    expect(load).toThrow(IntegratorConfigError);
    expect(load).toThrow(/KAFKA_BROKERS: must be a comma-separated list of host:port/);
    expect(load).toThrow(/KAFKA_SASL_USERNAME: is required with KAFKA_SASL_MECHANISM=plain/);
    expect(load).toThrow(/KAFKA_SASL_PASSWORD: is required/);
  });
});

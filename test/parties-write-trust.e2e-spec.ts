// Every party tries to write another party's facts, through the gateway and through the inbound
// Kafka topics: each attempt is refused and emits nothing; the rightful parties' writes go
// through, and the recipient's confirmation is the only receipt counted (DESIGN.md §4a).
import {
  buildEvent,
  inboundShipmentsTopic,
  readDeadLetterHeaders,
  serialize,
  TOPICS,
  TrackerEvent,
} from '@tracker/contracts';
import {
  aCapacityDeclaration,
  aDelivery,
  aLot,
  aMilestone,
  anAllocation,
  aPledge,
  aShipment,
  aShipmentLoss,
  aStockpileLevel,
  newId,
  TEST_TOKENS,
  TopicWatcher,
  waitFor,
} from '@tracker/testing';
import { Kafka, logLevel, Producer } from 'kafkajs';
import request from 'supertest';
import { startWriteStack, WriteStack } from './write-stack';

type Party = keyof typeof TEST_TOKENS;
type Service = 'pledge-service' | 'production-service' | 'shipment-service';

/** One attempt: who, what, and the status it must meet at the service that owns the route. */
interface Attempt {
  readonly party: Party;
  readonly method: 'post' | 'patch';
  readonly path: string;
  readonly body: object;
  readonly status: 403 | 409;
  readonly owner: Service;
}

describe('who may write what: every party against the others, on both doors', () => {
  let stack: WriteStack;
  let watcher: TopicWatcher;
  let producer: Producer;

  const pledge = aPledge().withDonor('DE').withQuantity(10_000).build();
  const lot = aLot().withLotId(`RHM-${newId()}`).withQuantity(4000).build();
  const nammoLot = aLot()
    .withLotId(`NAM-${newId()}`)
    .byManufacturer('nammo', 'Raufoss')
    .withQuantity(1000)
    .build();
  const allocation = anAllocation().fromLot(lot).forPledge(pledge).withQuantity(3000).build();
  const shipment = aShipment().forPledge(pledge).withLots(lot).withQuantity(2000).build();

  const send = (party: Party, method: 'post' | 'patch', path: string, body: object) =>
    request(stack.gateway.url)
      [method](path)
      .set('Authorization', `Bearer ${TEST_TOKENS[party]}`)
      .send(body);

  /** Sends until the owning service's view of another service's facts has caught up. */
  async function settle(party: Party, path: string, body: object, status: number) {
    await waitFor(`${party} POST ${path} → ${status}`, async () => {
      const response = await send(party, 'post', path, body);
      if (response.status === status) return true;
      // 409 + Retry-After: a view lags; 403 "no lots allocated": the allocation has not arrived.
      expect([409, 403]).toContain(response.status);
      return false;
    });
  }

  beforeAll(async () => {
    stack = await startWriteStack('parties');
    watcher = await TopicWatcher.start(
      [TOPICS.pledges, TOPICS.production, TOPICS.shipments, TOPICS.deadLetter].map(stack.topic),
    );
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
    producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();

    await send('donorDE', 'post', '/v1/pledges', pledge).expect(201);
    await send('producerRheinmetall', 'post', '/v1/lots', lot).expect(201);
    await send('producerNammo', 'post', '/v1/lots', nammoLot).expect(201);
    await settle('producerRheinmetall', '/v1/allocations', allocation, 201);
    await settle('producerRheinmetall', '/v1/shipments', shipment, 201);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await watcher?.stop();
    await stack?.stop();
  });

  const onShipment = (what: string) => `/v1/shipments/${shipment.shipmentId}/${what}`;
  const milestone = { status: 'at-hub' };
  const loss = { quantity: 10, reason: 'Fell off the truck' };
  const receipt = { receivedQuantity: 2000, acceptedQuantity: 2000 };
  const fromStocks = () => aShipment().forPledge(pledge).withoutLots().withQuantity(10).build();

  const attempts: Attempt[] = [
    // Pledges are their donor's.
    {
      party: 'donorPL',
      method: 'patch',
      path: `/v1/pledges/${pledge.pledgeId}`,
      body: { quantity: 1, reason: 'x' },
      status: 403,
      owner: 'pledge-service',
    },
    {
      party: 'donorPL',
      method: 'post',
      path: `/v1/pledges/${pledge.pledgeId}/cancel`,
      body: { reason: 'x' },
      status: 403,
      owner: 'pledge-service',
    },
    {
      party: 'donorPL',
      method: 'post',
      path: '/v1/pledges',
      body: aPledge().withDonor('DE').build(),
      status: 403,
      owner: 'pledge-service',
    },
    {
      party: 'producerRheinmetall',
      method: 'post',
      path: '/v1/pledges',
      body: aPledge().build(),
      status: 403,
      owner: 'pledge-service',
    },
    {
      party: 'recipientUA',
      method: 'post',
      path: `/v1/pledges/${pledge.pledgeId}/cancel`,
      body: { reason: 'x' },
      status: 403,
      owner: 'pledge-service',
    },
    {
      party: 'ops',
      method: 'post',
      path: '/v1/pledges',
      body: aPledge().build(),
      status: 403,
      owner: 'pledge-service',
    },
    // Capacity, lots, QA and allocations are their producer's; stockpiles their nation's.
    {
      party: 'producerNammo',
      method: 'post',
      path: '/v1/capacity',
      body: aCapacityDeclaration().build(),
      status: 403,
      owner: 'production-service',
    },
    {
      party: 'donorDE',
      method: 'post',
      path: '/v1/capacity',
      body: aCapacityDeclaration().build(),
      status: 403,
      owner: 'production-service',
    },
    {
      party: 'producerNammo',
      method: 'post',
      path: '/v1/lots',
      body: aLot().build(),
      status: 403,
      owner: 'production-service',
    },
    {
      party: 'producerNammo',
      method: 'post',
      path: `/v1/lots/${lot.lotId}/qa`,
      body: { qaStatus: 'hold' },
      status: 403,
      owner: 'production-service',
    },
    {
      party: 'recipientUA',
      method: 'post',
      path: `/v1/lots/${lot.lotId}/qa`,
      body: { qaStatus: 'rejected' },
      status: 403,
      owner: 'production-service',
    },
    {
      party: 'producerNammo',
      method: 'post',
      path: '/v1/allocations',
      body: anAllocation().fromLot(lot).forPledge(pledge).withQuantity(1).build(),
      status: 403,
      owner: 'production-service',
    },
    {
      party: 'donorDE',
      method: 'post',
      path: '/v1/allocations',
      body: anAllocation().fromLot(lot).forPledge(pledge).withQuantity(1).build(),
      status: 403,
      owner: 'production-service',
    },
    {
      party: 'donorPL',
      method: 'post',
      path: '/v1/stockpiles',
      body: aStockpileLevel().ofNation('DE').build(),
      status: 403,
      owner: 'production-service',
    },
    {
      party: 'recipientUA',
      method: 'post',
      path: '/v1/stockpiles',
      body: aStockpileLevel().ofNation('DE').build(),
      status: 403,
      owner: 'production-service',
    },
    {
      party: 'producerRheinmetall',
      method: 'post',
      path: '/v1/stockpiles',
      body: aStockpileLevel().ofNation('DE').build(),
      status: 403,
      owner: 'production-service',
    },
    // A producer ships what it allocated; a donor from its stocks, against its own pledges.
    {
      party: 'producerNammo',
      method: 'post',
      path: '/v1/shipments',
      body: aShipment().forPledge(pledge).withLots(nammoLot).withQuantity(1).build(),
      status: 403,
      owner: 'shipment-service',
    },
    {
      party: 'producerNammo',
      method: 'post',
      path: '/v1/shipments',
      body: aShipment().forPledge(pledge).withLots(lot).withQuantity(1).build(),
      status: 403,
      owner: 'shipment-service',
    },
    {
      party: 'producerRheinmetall',
      method: 'post',
      path: '/v1/shipments',
      body: aShipment().forPledge(pledge).withLots(nammoLot).withQuantity(1).build(),
      status: 403,
      owner: 'shipment-service',
    },
    {
      party: 'producerRheinmetall',
      method: 'post',
      path: '/v1/shipments',
      body: aShipment().forPledge(pledge).withLots(lot).withQuantity(1001).build(),
      status: 409,
      owner: 'shipment-service',
    },
    {
      party: 'donorPL',
      method: 'post',
      path: '/v1/shipments',
      body: fromStocks(),
      status: 403,
      owner: 'shipment-service',
    },
    {
      party: 'donorDE',
      method: 'post',
      path: '/v1/shipments',
      body: aShipment().forPledge(pledge).withLots(lot).withQuantity(1).build(),
      status: 403,
      owner: 'shipment-service',
    },
    {
      party: 'donorDE',
      method: 'post',
      path: '/v1/shipments',
      body: { ...fromStocks(), quantity: 8001 },
      status: 409,
      owner: 'shipment-service',
    },
    {
      party: 'recipientUA',
      method: 'post',
      path: '/v1/shipments',
      body: fromStocks(),
      status: 403,
      owner: 'shipment-service',
    },
    {
      party: 'ops',
      method: 'post',
      path: '/v1/shipments',
      body: fromStocks(),
      status: 403,
      owner: 'shipment-service',
    },
    // Milestones and losses are the sender's; the receipt is the recipient's alone.
    ...(['producerNammo', 'donorDE', 'recipientUA', 'ops'] as const).flatMap((party): Attempt[] => [
      {
        party,
        method: 'post',
        path: onShipment('milestones'),
        body: milestone,
        status: 403,
        owner: 'shipment-service',
      },
      {
        party,
        method: 'post',
        path: onShipment('loss'),
        body: loss,
        status: 403,
        owner: 'shipment-service',
      },
    ]),
    ...(['producerRheinmetall', 'producerNammo', 'donorDE', 'donorPL', 'ops'] as const).map(
      (party): Attempt => ({
        party,
        method: 'post',
        path: onShipment('delivery'),
        body: receipt,
        status: 403,
        owner: 'shipment-service',
      }),
    ),
  ];

  it.each(attempts)(
    '$party: $method $path is refused with $status and emits nothing',
    async ({ party, method, path, body, status, owner }) => {
      const before = await stack.committedEvents(owner);
      const response = await send(party, method, path, body);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(await stack.committedEvents(owner)).toBe(before);
    },
  );

  /** An event a producer system publishes on `org`'s inbound topic. */
  async function publishInbound(org: string, event: TrackerEvent): Promise<void> {
    await producer.send({
      topic: stack.topic(inboundShipmentsTopic(org)),
      messages: [serialize(event)],
    });
  }

  const producerSource = (org: string) => ({ source: `/producers/${org}` });
  const kafkaAttempts: [string, string, () => TrackerEvent, RegExp][] = [
    [
      'a dispatch against a pledge nammo allocated nothing to',
      'nammo',
      () =>
        aShipment()
          .forPledge(pledge)
          .withLots(nammoLot)
          .withQuantity(1)
          .buildEvent(producerSource('nammo')),
      /producer:nammo has no lots allocated/,
    ],
    [
      "a milestone of rheinmetall's shipment",
      'nammo',
      () => aMilestone().forShipment(shipment).buildEvent(producerSource('nammo')),
      /producer:nammo cannot write shipment/,
    ],
    [
      "a loss on rheinmetall's shipment",
      'nammo',
      () =>
        aShipmentLoss().forShipment(shipment).withQuantity(1).buildEvent(producerSource('nammo')),
      /producer:nammo cannot write shipment/,
    ],
    [
      'a receipt by another producer',
      'nammo',
      () => aDelivery().forShipment(shipment).buildEvent(producerSource('nammo')),
      /only its recipient, recipient:UA, confirms receipt/,
    ],
    [
      'a receipt by the sender itself',
      'rheinmetall',
      () => aDelivery().forShipment(shipment).buildEvent(producerSource('rheinmetall')),
      /only its recipient, recipient:UA, confirms receipt/,
    ],
    [
      "nammo's claim on rheinmetall's topic",
      'rheinmetall',
      () => aMilestone().forShipment(shipment).buildEvent(producerSource('nammo')),
      /source must be \/producers\/rheinmetall/,
    ],
    [
      'a dispatch past the allocation',
      'rheinmetall',
      () =>
        aShipment()
          .forPledge(pledge)
          .withLots(lot)
          .withQuantity(1001)
          .buildEvent(producerSource('rheinmetall')),
      /exceeds-allocation/,
    ],
  ];

  it.each(kafkaAttempts)(
    'dead-letters %s on the inbound topic of %s, and emits nothing',
    async (_what, org, make, reason) => {
      const before = await stack.committedEvents('shipment-service');
      const event = make();
      await publishInbound(org, event);
      const [letter] = await watcher.waitFor(
        `dead letter of ${event.id}`,
        (m) => m.topic === stack.topic(TOPICS.deadLetter) && m.json?.id === event.id,
      );
      const info = readDeadLetterHeaders(letter.headers);
      expect(info?.sourceTopic).toBe(stack.topic(inboundShipmentsTopic(org)));
      expect(info?.reason).toMatch(reason);
      expect(await stack.committedEvents('shipment-service')).toBe(before);
      expect(
        watcher.seen.filter((m) => m.topic !== letter.topic && m.json?.id === event.id),
      ).toEqual([]);
    },
  );

  it("counts the recipient's confirmation, and only it", async () => {
    await send('recipientUA', 'post', onShipment('delivery'), receipt).expect(200);
    const delivered = (m: { topic: string; key?: string; json?: { type?: unknown } }) =>
      m.topic === stack.topic(TOPICS.shipments) &&
      m.key === shipment.shipmentId &&
      m.json?.type === 'tracker.shipment.delivered.v1';
    const [event] = await watcher.waitFor('the receipt', delivered);
    expect(event.json).toMatchObject({
      data: { acceptedQuantity: 2000, reportedBy: 'recipient:UA' },
    });
    const sender = buildEvent(
      'tracker.shipment.delivered.v1',
      aDelivery().forShipment(shipment).build(),
      producerSource('rheinmetall'),
    );
    await publishInbound('rheinmetall', sender);
    await watcher.waitFor('its dead letter', (m) => m.json?.id === sender.id);
    expect(watcher.seen.filter(delivered)).toHaveLength(1);
  });
});

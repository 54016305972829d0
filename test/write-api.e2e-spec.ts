import { TOPICS } from '@tracker/contracts';
import {
  aCapacityDeclaration,
  aDelivery,
  aLot,
  aLotQaChange,
  aMilestone,
  anAllocation,
  aPledge,
  aShipment,
  aShipmentLoss,
  aStockpileLevel,
  TEST_TOKENS,
  TopicWatcher,
  waitFor,
} from '@tracker/testing';
import fc from 'fast-check';
import request from 'supertest';
import { startWriteStack, WriteStack } from './write-stack';

const admin = `Bearer ${TEST_TOKENS.admin}`;

function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const { [key]: _dropped, ...rest } = value;
  return rest;
}

describe('the write API through the gateway: one base URL for every route', () => {
  let stack: WriteStack;
  let watcher: TopicWatcher;
  const post = (path: string, body: object) =>
    request(stack.gateway.url).post(path).set('Authorization', admin).send(body);

  beforeAll(async () => {
    stack = await startWriteStack('writeapi');
    watcher = await TopicWatcher.start(
      [TOPICS.pledges, TOPICS.production, TOPICS.shipments, TOPICS.stockpiles].map(stack.topic),
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await watcher?.stop();
  });

  /** Exactly one event of `type` on `topic` with `key`, once the relay published it. */
  async function expectOneEvent(topic: string, type: string, key: string): Promise<void> {
    await watcher.waitFor(`${type} for ${key}`, (m) => m.key === key && m.json?.type === type);
    const matching = watcher.seen.filter((m) => m.key === key && m.json?.type === type);
    expect(matching.map((m) => m.topic)).toEqual([stack.topic(topic)]);
  }

  it('carries a pledge from announcement through production and shipment to receipt', async () => {
    const pledge = aPledge().withDonor('DE').withItem('AMMO-155MM').withQuantity(5000).build();
    await post('/v1/pledges', pledge).expect(201);
    await expectOneEvent(TOPICS.pledges, 'tracker.pledge.announced.v1', pledge.pledgeId);

    await request(stack.gateway.url)
      .patch(`/v1/pledges/${pledge.pledgeId}`)
      .set('Authorization', admin)
      .send({ quantity: 6000, reason: 'second tranche' })
      .expect(200);
    await expectOneEvent(TOPICS.pledges, 'tracker.pledge.amended.v1', pledge.pledgeId);

    const capacity = aCapacityDeclaration().withItem('AMMO-155MM').build();
    await post('/v1/capacity', capacity).expect(201);
    await expectOneEvent(
      TOPICS.production,
      'tracker.production.capacity-declared.v1',
      capacity.capacityId,
    );

    const lot = aLot().withItem('AMMO-155MM').withQuantity(4000).build();
    await post('/v1/lots', lot).expect(201);
    await expectOneEvent(TOPICS.production, 'tracker.production.lot-completed.v1', lot.lotId);

    const hold = without(aLotQaChange().forLot(lot.lotId).withQaStatus('hold').build(), 'lotId');
    await post(`/v1/lots/${lot.lotId}/qa`, hold).expect(200);
    await expectOneEvent(TOPICS.production, 'tracker.production.lot-qa-changed.v1', lot.lotId);
    await post(`/v1/lots/${lot.lotId}/qa`, { qaStatus: 'passed', reason: 'reworked' }).expect(200);

    // The production view learns the pledge from Kafka: until it has, the answer is 409 + Retry-After.
    const allocation = anAllocation()
      .fromLot(lot.lotId)
      .forPledge(pledge)
      .withQuantity(3000)
      .build();
    await waitFor('the production view to know the pledge', async () => {
      const response = await post('/v1/allocations', allocation);
      if (response.status === 409) expect(response.headers['retry-after']).toBeDefined();
      return response.status === 201;
    });
    await watcher.waitFor('the allocation', (m) => m.json?.subject === allocation.allocationId);
    expect(watcher.seen.filter((m) => m.json?.subject === allocation.allocationId)).toHaveLength(1);

    const level = aStockpileLevel().build();
    await post('/v1/stockpiles', level).expect(201);
    await expectOneEvent(
      TOPICS.stockpiles,
      'tracker.stockpile.level-reported.v1',
      `${level.nation}:${level.itemCode}`,
    );

    const shipment = aShipment().forPledge(pledge).withQuantity(3000).build();
    await waitFor(
      'the shipment view to know the pledge',
      async () => (await post('/v1/shipments', shipment)).status === 201,
    );
    await expectOneEvent(TOPICS.shipments, 'tracker.shipment.dispatched.v1', shipment.shipmentId);

    const milestone = without(aMilestone().forShipment(shipment.shipmentId).build(), 'shipmentId');
    await post(`/v1/shipments/${shipment.shipmentId}/milestones`, milestone).expect(201);
    await expectOneEvent(TOPICS.shipments, 'tracker.shipment.milestone.v1', shipment.shipmentId);

    const loss = without(
      aShipmentLoss().forShipment(shipment.shipmentId).withQuantity(100).build(),
      'shipmentId',
    );
    await post(`/v1/shipments/${shipment.shipmentId}/loss`, loss).expect(200);
    await expectOneEvent(TOPICS.shipments, 'tracker.shipment.lost.v1', shipment.shipmentId);

    const delivery = without(
      aDelivery()
        .forShipment({ shipmentId: shipment.shipmentId, quantity: 2900 })
        .withRejected(50)
        .build(),
      'shipmentId',
    );
    await post(`/v1/shipments/${shipment.shipmentId}/delivery`, delivery).expect(200);
    await expectOneEvent(TOPICS.shipments, 'tracker.shipment.delivered.v1', shipment.shipmentId);

    // A refused rule emits nothing: a second delivery of the same shipment.
    const before = await stack.committedEvents('shipment-service');
    const again = await post(`/v1/shipments/${shipment.shipmentId}/delivery`, delivery);
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await stack.committedEvents('shipment-service')).toBe(before);

    const cancel = await post(`/v1/pledges/${pledge.pledgeId}/cancel`, { reason: 'superseded' });
    expect(cancel.status).toBe(200);
    await expectOneEvent(TOPICS.pledges, 'tracker.pledge.cancelled.v1', pledge.pledgeId);
  });

  it('answers every hostile request to every write route with a 4xx problem, emitting nothing', async () => {
    const services = ['pledge-service', 'production-service', 'shipment-service'] as const;
    const committed = async () =>
      Promise.all(services.map((service) => stack.committedEvents(service)));
    const before = await committed();
    const routes: [method: 'post' | 'patch', template: string][] = [
      ['post', '/v1/pledges'],
      ['patch', '/v1/pledges/:id'],
      ['post', '/v1/pledges/:id/cancel'],
      ['post', '/v1/programmes'],
      ['post', '/v1/capacity'],
      ['post', '/v1/lots'],
      ['post', '/v1/lots/:id/qa'],
      ['post', '/v1/allocations'],
      ['post', '/v1/stockpiles'],
      ['post', '/v1/shipments'],
      ['post', '/v1/shipments/:id/milestones'],
      ['post', '/v1/shipments/:id/delivery'],
      ['post', '/v1/shipments/:id/loss'],
    ];
    const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    // Stands for a body over the 1 MiB limit, expanded only when sent, so a failure prints short.
    const HUGE = '<a body over 1 MiB>';
    const expand = (body: string) =>
      body === HUGE ? `{"reason": "${'x'.repeat(1_100_000)}"}` : body;
    const valid = aPledge().build();
    const hostileBody = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.string(),
      fc.constantFrom(
        deep(5_000),
        `{"quantity": ${deep(2_000)}}`,
        '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}',
        '{"quantity": 1e309}',
        '{"quantity": -0, "donor": "DE"}',
        '{',
        'null',
        '',
        HUGE,
      ),
      fc
        .record({ field: fc.constantFrom(...Object.keys(valid)), value: fc.anything() })
        .map(({ field, value }) => {
          try {
            return JSON.stringify({ ...valid, pledgeId: undefined, [field]: value }) ?? 'null';
          } catch {
            return '{"quantity": "NaN"}';
          }
        }),
    );
    const hostileId = fc.oneof(
      fc.string({ minLength: 1, maxLength: 80 }),
      fc.constantFrom('..', '%2e%2e', 'a%00b', 'x'.repeat(5_000), 'ĳ-ünïcode', 'no-such-entity'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        hostileId,
        hostileBody,
        fc.constantFrom('application/json', 'text/plain', 'application/cloudevents+json'),
        async ([method, template], id, body, contentType) => {
          const path = template.replace(':id', encodeURIComponent(id));
          const response = await request(stack.gateway.url)
            [method](path)
            .set('Authorization', admin)
            .set('Content-Type', contentType)
            .send(expand(body));
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        },
      ),
      { numRuns: 200, seed: 20261201 },
    );
    expect(await committed()).toEqual(before);
  });
});

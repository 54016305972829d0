import { buildEvent, TOPICS } from '@tracker/contracts';
import {
  aMilestone,
  aPledge,
  aPledgeCancellation,
  aShipment,
  aShipmentLoss,
  newId,
  TEST_TOKENS,
  TestDatabase,
  TestService,
  TopicWatcher,
  waitFor,
} from '@tracker/testing';
import request from 'supertest';
import {
  allocatedPledge,
  announcePledge,
  KafkaFeed,
  knownPledge,
  startShipmentService,
  uniqueGroupPrefix,
  suiteTopicPrefix,
} from '../shipment-service.testing';

const admin = `Bearer ${TEST_TOKENS.admin}`;
const rheinmetall = `Bearer ${TEST_TOKENS.producerRheinmetall}`;
const nammo = `Bearer ${TEST_TOKENS.producerNammo}`;
const recipient = `Bearer ${TEST_TOKENS.recipientUA}`;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('shipment-service HTTP writes', () => {
  const topicPrefix = suiteTopicPrefix('shipments');
  let database: TestDatabase;
  let service: TestService;
  let watcher: TopicWatcher;
  let feed: KafkaFeed;

  beforeAll(async () => {
    database = await TestDatabase.create('shipments');
    watcher = await TopicWatcher.start([TOPICS.shipments], undefined, topicPrefix);
    feed = await KafkaFeed.start(topicPrefix);
    service = await startShipmentService(database, uniqueGroupPrefix('shipments'), topicPrefix);
  });

  afterAll(async () => {
    await service?.close();
    await feed?.stop();
    await watcher?.stop();
    await database?.drop();
  });

  const post = (path: string, token: string, body: object) =>
    request(service.url).post(path).set('Authorization', token).send(body);

  /** Waits for the event of `type` keyed by `key`, then answers every type keyed by `key`. */
  async function typesKeyedBy(key: string, type: string): Promise<unknown[]> {
    await watcher.waitFor(`${type} keyed ${key}`, (m) => m.key === key && m.json?.type === type);
    return watcher.withKey(key).map((message) => message.json?.type);
  }

  /** A shipment of Rheinmetall's, dispatched over HTTP towards a known pledge. */
  async function aDispatchedShipment(quantity = 2400) {
    const { pledge, lot } = await allocatedPledge(feed, database, { allocated: quantity });
    const shipment = aShipment().forPledge(pledge).withLots(lot).withQuantity(quantity).build();
    await post('/v1/shipments', rheinmetall, shipment).expect(201);
    return shipment;
  }

  describe('POST /v1/shipments', () => {
    it('dispatches: 201, and exactly one dispatched event keyed by the shipment id', async () => {
      const { pledge, lot } = await allocatedPledge(feed, database);
      const shipment = aShipment().forPledge(pledge).withLots(lot).build();
      const response = await post('/v1/shipments', rheinmetall, shipment).expect(201);
      expect(response.body).toMatchObject({
        shipmentId: shipment.shipmentId,
        pledgeId: pledge.pledgeId,
        producer: 'rheinmetall',
        status: 'in-transit',
        lost: 0,
      });
      const [event] = await watcher.waitFor(
        'the dispatched event',
        (m) => m.key === shipment.shipmentId,
      );
      expect(event.topic).toBe(TOPICS.shipments);
      expect(event.headers['content-type']).toBe('application/cloudevents+json');
      expect(event.json).toMatchObject({
        type: 'tracker.shipment.dispatched.v1',
        source: '/shipment-service',
        subject: shipment.shipmentId,
        data: { ...shipment, dispatchedBy: 'producer:rheinmetall' },
      });
      expect(await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.dispatched.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
      ]);
    });

    it('mints a UUID v7 and takes now when the id and time are left out', async () => {
      const { pledge, lot } = await allocatedPledge(feed, database);
      const {
        shipmentId: _id,
        dispatchedAt: _at,
        ...body
      } = aShipment().forPledge(pledge).withLots(lot).build();
      const before = Date.now();
      const response = await post('/v1/shipments', admin, { ...body, producer: 'nammo' }).expect(
        201,
      );
      const created = response.body as {
        shipmentId: string;
        dispatchedAt: string;
        producer: string;
      };
      expect(created.shipmentId).toMatch(UUID_V7);
      expect(Date.parse(created.dispatchedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(created.producer).toBe('nammo');
      await typesKeyedBy(created.shipmentId, 'tracker.shipment.dispatched.v1');
    });

    it('refuses a zero quantity with 422 naming the field, and emits nothing', async () => {
      const { pledge, lot } = await allocatedPledge(feed, database);
      const shipment = aShipment().forPledge(pledge).withLots(lot).build();
      const response = await post('/v1/shipments', rheinmetall, { ...shipment, quantity: 0 })
        .expect(422)
        .expect('Content-Type', /application\/problem\+json/);
      expect(response.body).toMatchObject({
        errors: [{ field: 'quantity', rule: 'must be a positive integer' }],
      });
      await post('/v1/shipments', rheinmetall, shipment).expect(201);
      expect(await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.dispatched.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
      ]);
    });

    it("refuses an item other than the pledge's with 422 naming itemCode, and emits nothing", async () => {
      const { pledge, lot } = await allocatedPledge(feed, database);
      const shipment = aShipment().forPledge(pledge).withLots(lot).build();
      const response = await post('/v1/shipments', rheinmetall, {
        ...shipment,
        itemCode: 'AMMO-152MM',
      }).expect(422);
      expect(response.body).toMatchObject({
        code: 'item-differs-from-pledge',
        errors: [{ field: 'itemCode' }],
      });
      await post('/v1/shipments', rheinmetall, shipment).expect(201);
      expect(
        await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.dispatched.v1'),
      ).toHaveLength(1);
    });

    it('refuses a shipment for a cancelled pledge with 409 naming pledgeId', async () => {
      const pledge = await knownPledge(feed, database);
      await feed.publish(
        TOPICS.pledges,
        buildEvent('tracker.pledge.cancelled.v1', aPledgeCancellation().forPledge(pledge).build(), {
          source: '/pledge-service',
        }),
      );
      await waitFor('the cancellation in the view', async () => {
        const rows = await database.query('select status from pledges_view where pledge_id = $1', [
          pledge.pledgeId,
        ]);
        return rows[0]?.status === 'cancelled';
      });
      const shipment = aShipment().forPledge(pledge).build();
      const response = await post('/v1/shipments', rheinmetall, shipment).expect(409);
      expect(response.body).toMatchObject({
        code: 'pledge-cancelled',
        errors: [{ field: 'pledgeId' }],
      });
      expect(response.headers['retry-after']).toBeUndefined();
      const later = await aDispatchedShipment();
      await typesKeyedBy(later.shipmentId, 'tracker.shipment.dispatched.v1');
      expect(watcher.withKey(shipment.shipmentId)).toEqual([]);
    });

    it('answers 409 with Retry-After while the pledge is not known yet, then accepts it', async () => {
      const pledge = aPledge().build();
      const { lotIds: _lots, ...shipment } = aShipment().forPledge(pledge).build();
      const lagging = await post('/v1/shipments', rheinmetall, shipment)
        .expect(409)
        .expect('Content-Type', /application\/problem\+json/);
      expect(lagging.headers['retry-after']).toBe('1');
      expect(lagging.body).toMatchObject({
        code: 'view-lagging',
        errors: [{ field: 'pledgeId' }],
      });
      expect((lagging.body as { detail: string }).detail).toMatch(
        new RegExp(`pledge ${pledge.pledgeId} is not known yet`),
      );

      await announcePledge(feed, pledge);
      await allocatedPledge(feed, database, { pledge });
      await waitFor('the dispatch to be accepted', async () => {
        const answer = await post('/v1/shipments', rheinmetall, shipment);
        if (answer.status !== 201) expect(answer.status).toBe(409);
        return answer.status === 201;
      });
      expect(await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.dispatched.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
      ]);
    });

    it('answers a repeated dispatch like the first without an event; other content is 409', async () => {
      const { pledge, lot } = await allocatedPledge(feed, database);
      const shipment = aShipment().forPledge(pledge).withLots(lot).build();
      const first = await post('/v1/shipments', rheinmetall, shipment).expect(201);
      const again = await post('/v1/shipments', rheinmetall, shipment).expect(201);
      expect(again.body).toEqual(first.body);
      const other = await post('/v1/shipments', rheinmetall, { ...shipment, quantity: 10 }).expect(
        409,
      );
      expect(other.body).toMatchObject({
        code: 'shipment-exists',
        errors: [{ field: 'shipmentId' }],
      });
      await post(`/v1/shipments/${shipment.shipmentId}/milestones`, rheinmetall, {
        status: 'in-transit',
      }).expect(201);
      expect(await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.milestone.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
        'tracker.shipment.milestone.v1',
      ]);
    });

    it('replays an Idempotency-Key with the first answer; the key with another body is 422', async () => {
      const { pledge, lot } = await allocatedPledge(feed, database);
      const { shipmentId: _id, ...body } = aShipment().forPledge(pledge).withLots(lot).build();
      const key = `dispatch-${newId()}`;
      const first = await post('/v1/shipments', rheinmetall, body)
        .set('Idempotency-Key', key)
        .expect(201);
      const replay = await post('/v1/shipments', rheinmetall, body)
        .set('Idempotency-Key', key)
        .expect(201)
        .expect('Idempotent-Replayed', 'true');
      expect(replay.body).toEqual(first.body);
      const reused = await post('/v1/shipments', rheinmetall, { ...body, quantity: 7 })
        .set('Idempotency-Key', key)
        .expect(422);
      expect(reused.body).toMatchObject({
        code: 'idempotency-key-reused',
        errors: [{ field: 'Idempotency-Key' }],
      });
      const id = (first.body as { shipmentId: string }).shipmentId;
      await post(`/v1/shipments/${id}/milestones`, rheinmetall, { status: 'customs' }).expect(201);
      expect(await typesKeyedBy(id, 'tracker.shipment.milestone.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
        'tracker.shipment.milestone.v1',
      ]);
    });
  });

  describe('POST /v1/shipments/:id/milestones', () => {
    it('records a milestone: 201, one milestone event, and the revised eta', async () => {
      const shipment = await aDispatchedShipment();
      const milestone = aMilestone().forShipment(shipment).build();
      const { shipmentId: _id, ...body } = milestone;
      const response = await post(
        `/v1/shipments/${shipment.shipmentId}/milestones`,
        rheinmetall,
        body,
      ).expect(201);
      expect(response.body).toMatchObject({ lastMilestone: body, eta: milestone.eta });
      expect(await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.milestone.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
        'tracker.shipment.milestone.v1',
      ]);
      const [event] = watcher.withKey(shipment.shipmentId).slice(-1);
      expect(event.json).toMatchObject({ subject: shipment.shipmentId, data: milestone });
    });

    it('refuses a milestone after delivery or after a loss with 409', async () => {
      const delivered = await aDispatchedShipment();
      await post(`/v1/shipments/${delivered.shipmentId}/delivery`, recipient, {
        receivedQuantity: 2400,
        acceptedQuantity: 2400,
      }).expect(200);
      const late = await post(`/v1/shipments/${delivered.shipmentId}/milestones`, rheinmetall, {
        status: 'at-hub',
      }).expect(409);
      expect(late.body).toMatchObject({ code: 'shipment-delivered' });

      const lost = await aDispatchedShipment();
      await post(`/v1/shipments/${lost.shipmentId}/loss`, rheinmetall, {
        quantity: 100,
        reason: 'Wagon burnt out',
      }).expect(200);
      const afterLoss = await post(`/v1/shipments/${lost.shipmentId}/milestones`, rheinmetall, {
        status: 'at-hub',
      }).expect(409);
      expect(afterLoss.body).toMatchObject({ code: 'shipment-lost' });
      await post(`/v1/shipments/${lost.shipmentId}/delivery`, recipient, {
        receivedQuantity: 2300,
        acceptedQuantity: 2300,
      }).expect(200);
      expect(await typesKeyedBy(lost.shipmentId, 'tracker.shipment.delivered.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
        'tracker.shipment.lost.v1',
        'tracker.shipment.delivered.v1',
      ]);
    });

    it('answers 404 for a shipment that does not exist', async () => {
      await post(`/v1/shipments/${newId()}/milestones`, rheinmetall, { status: 'at-hub' }).expect(
        404,
      );
    });
  });

  describe('POST /v1/shipments/:id/delivery', () => {
    it('records the receipt once: 200, one delivered event with rejectedQuantity filled in', async () => {
      const shipment = await aDispatchedShipment();
      const response = await post(`/v1/shipments/${shipment.shipmentId}/delivery`, recipient, {
        receivedQuantity: 2400,
        acceptedQuantity: 2376,
        rejectionReason: 'damaged',
        receivedAt: '2026-03-23T11:40:00+02:00',
      }).expect(200);
      const delivery = {
        receivedQuantity: 2400,
        acceptedQuantity: 2376,
        rejectedQuantity: 24,
        rejectionReason: 'damaged',
        receivedAt: '2026-03-23T11:40:00+02:00',
      };
      expect(response.body).toMatchObject({ status: 'delivered', delivery });
      expect(await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.delivered.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
        'tracker.shipment.delivered.v1',
      ]);
      const [event] = watcher.withKey(shipment.shipmentId).slice(-1);
      expect(event.json).toMatchObject({ data: { shipmentId: shipment.shipmentId, ...delivery } });

      const twice = await post(`/v1/shipments/${shipment.shipmentId}/delivery`, recipient, {
        receivedQuantity: 2400,
        acceptedQuantity: 2400,
      }).expect(409);
      expect(twice.body).toMatchObject({ code: 'shipment-delivered' });
    });

    it.each([
      [
        'more received than shipped',
        { receivedQuantity: 2401, acceptedQuantity: 2401 },
        'receivedQuantity',
        'received-exceeds-shipped',
      ],
      [
        'more accepted than received',
        { receivedQuantity: 100, acceptedQuantity: 101 },
        'acceptedQuantity',
        'accepted-exceeds-received',
      ],
      [
        'accepted + rejected ≠ received',
        {
          receivedQuantity: 100,
          acceptedQuantity: 90,
          rejectedQuantity: 5,
          rejectionReason: 'quality',
        },
        'rejectedQuantity',
        'receipt-does-not-add-up',
      ],
      [
        'a rejection without a reason',
        { receivedQuantity: 100, acceptedQuantity: 90 },
        'rejectionReason',
        'rejection-reason-missing',
      ],
      [
        'a reason without a rejection',
        { receivedQuantity: 100, acceptedQuantity: 100, rejectionReason: 'damaged' },
        'rejectionReason',
        'rejection-reason-without-rejection',
      ],
    ])(
      'refuses %s with 422 naming the field, and emits nothing',
      async (_what, receipt, field, code) => {
        const shipment = await aDispatchedShipment();
        const response = await post(
          `/v1/shipments/${shipment.shipmentId}/delivery`,
          recipient,
          receipt,
        )
          .expect(422)
          .expect('Content-Type', /application\/problem\+json/);
        expect(response.body).toMatchObject({ code, errors: [{ field }] });
        await post(`/v1/shipments/${shipment.shipmentId}/milestones`, rheinmetall, {
          status: 'handed-over',
        }).expect(201);
        expect(await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.milestone.v1')).toEqual([
          'tracker.shipment.dispatched.v1',
          'tracker.shipment.milestone.v1',
        ]);
      },
    );

    it('refuses a body that breaks the contract with 422 naming the field', async () => {
      const shipment = await aDispatchedShipment();
      const response = await post(`/v1/shipments/${shipment.shipmentId}/delivery`, recipient, {
        receivedQuantity: -1,
        acceptedQuantity: 0,
      }).expect(422);
      expect(response.body).toMatchObject({
        errors: [{ field: 'receivedQuantity', rule: 'must be a non-negative integer' }],
      });
    });
  });

  describe('POST /v1/shipments/:id/delivery/corrections', () => {
    const wrongly = {
      receivedQuantity: 2400,
      acceptedQuantity: 2400,
      receivedAt: '2026-03-23T11:40:00+02:00',
    };
    const corrected = {
      receivedQuantity: 2400,
      acceptedQuantity: 2352,
      rejectionReason: 'damaged',
      reason: 'Second count at the depot found 48 damaged rounds',
      correctedAt: '2026-03-24T08:15:00+02:00',
    };

    it("corrects the recipient's receipt: 200, a new correction event with its reason, the receipt kept", async () => {
      const shipment = await aDispatchedShipment();
      const path = `/v1/shipments/${shipment.shipmentId}`;
      await post(`${path}/delivery`, recipient, wrongly).expect(200);
      const response = await post(`${path}/delivery/corrections`, recipient, corrected).expect(200);
      expect(response.body).toMatchObject({
        status: 'delivered',
        delivery: {
          receivedQuantity: 2400,
          acceptedQuantity: 2352,
          rejectedQuantity: 48,
          receivedAt: wrongly.receivedAt,
          reportedBy: 'recipient:UA',
        },
      });
      expect(
        await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.delivery-corrected.v1'),
      ).toEqual([
        'tracker.shipment.dispatched.v1',
        'tracker.shipment.delivered.v1',
        'tracker.shipment.delivery-corrected.v1',
      ]);
      const [event] = watcher.withKey(shipment.shipmentId).slice(-1);
      expect(event.json).toMatchObject({
        data: {
          shipmentId: shipment.shipmentId,
          ...corrected,
          rejectedQuantity: 48,
          reportedBy: 'recipient:UA',
        },
      });
    });

    it('refuses the sender (403), a correction before any receipt (409) and one without a reason (422)', async () => {
      const shipment = await aDispatchedShipment();
      const path = `/v1/shipments/${shipment.shipmentId}/delivery/corrections`;
      const early = await post(path, recipient, corrected).expect(409);
      expect(early.body).toMatchObject({ code: 'no-receipt' });
      await post(`/v1/shipments/${shipment.shipmentId}/delivery`, recipient, wrongly).expect(200);
      await post(path, rheinmetall, corrected).expect(403);
      const { reason: _reason, ...withoutReason } = corrected;
      const missing = await post(path, recipient, withoutReason).expect(422);
      expect(missing.body).toMatchObject({ errors: [{ field: 'reason' }] });
      const tooMany = await post(path, admin, {
        ...corrected,
        receivedQuantity: 2401,
        acceptedQuantity: 2401,
        rejectionReason: undefined,
      }).expect(422);
      expect(tooMany.body).toMatchObject({ code: 'received-exceeds-shipped' });
    });
  });

  describe('POST /v1/shipments/:id/loss', () => {
    it('reports a loss: 200, one lost event', async () => {
      const shipment = await aDispatchedShipment();
      const { shipmentId: _id, ...loss } = aShipmentLoss().forShipment(shipment).build();
      const response = await post(
        `/v1/shipments/${shipment.shipmentId}/loss`,
        rheinmetall,
        loss,
      ).expect(200);
      expect(response.body).toMatchObject({ status: 'lost', lost: loss.quantity });
      expect(await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.lost.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
        'tracker.shipment.lost.v1',
      ]);
    });

    it('refuses more than is still on the way with 422, and a loss after delivery with 409', async () => {
      const shipment = await aDispatchedShipment(1000);
      const path = `/v1/shipments/${shipment.shipmentId}/loss`;
      await post(path, rheinmetall, { quantity: 600, reason: 'Depot strike' }).expect(200);
      const over = await post(path, rheinmetall, { quantity: 401, reason: 'Second strike' }).expect(
        422,
      );
      expect(over.body).toMatchObject({
        code: 'loss-exceeds-shipped',
        errors: [{ field: 'quantity' }],
      });
      const tooMany = await post(`/v1/shipments/${shipment.shipmentId}/delivery`, recipient, {
        receivedQuantity: 401,
        acceptedQuantity: 401,
      }).expect(422);
      expect(tooMany.body).toMatchObject({ errors: [{ field: 'receivedQuantity' }] });
      await post(`/v1/shipments/${shipment.shipmentId}/delivery`, recipient, {
        receivedQuantity: 400,
        acceptedQuantity: 400,
      }).expect(200);
      const late = await post(path, rheinmetall, { quantity: 1, reason: 'After the fact' }).expect(
        409,
      );
      expect(late.body).toMatchObject({ code: 'shipment-delivered' });
      expect(await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.delivered.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
        'tracker.shipment.lost.v1',
        'tracker.shipment.delivered.v1',
      ]);
    });
  });

  describe('who may write', () => {
    const writes = (shipmentId: string): [string, object][] => [
      ['/v1/shipments', aShipment().build()],
      [`/v1/shipments/${shipmentId}/milestones`, { status: 'at-hub' }],
      [`/v1/shipments/${shipmentId}/delivery`, { receivedQuantity: 1, acceptedQuantity: 1 }],
      [`/v1/shipments/${shipmentId}/loss`, { quantity: 1, reason: 'Fell off the truck' }],
    ];

    it('answers 401 without a token or with an unknown one on every write route', async () => {
      for (const [path, body] of writes(newId())) {
        await request(service.url).post(path).send(body).expect(401);
        await post(path, 'Bearer not-a-token', body).expect(401);
      }
    });

    it('answers 403 to ops on every write route', async () => {
      for (const [path, body] of writes(newId())) {
        await post(path, `Bearer ${TEST_TOKENS.ops}`, body)
          .expect(403)
          .expect('Content-Type', /application\/problem\+json/);
      }
    });

    it("answers 403 to another producer, the donor and the recipient on the sender's routes, and emits nothing", async () => {
      const shipment = await aDispatchedShipment();
      const [, milestone, , loss] = writes(shipment.shipmentId);
      for (const token of [nammo, `Bearer ${TEST_TOKENS.donorDE}`, recipient]) {
        for (const [path, body] of [milestone, loss]) {
          const response = await post(path, token, body).expect(403);
          expect(response.body).toMatchObject({ code: 'outside-scope' });
        }
      }
      await post(`/v1/shipments/${shipment.shipmentId}/milestones`, admin, {
        status: 'at-hub',
      }).expect(201);
      expect(await typesKeyedBy(shipment.shipmentId, 'tracker.shipment.milestone.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
        'tracker.shipment.milestone.v1',
      ]);
    });

    it('lets only the recipient (and admins) confirm receipt: the sender and the donor get 403', async () => {
      const shipment = await aDispatchedShipment();
      const [, , [path, body]] = writes(shipment.shipmentId);
      for (const token of [rheinmetall, nammo, `Bearer ${TEST_TOKENS.donorDE}`]) {
        await post(path, token, body).expect(403);
      }
      const confirmed = await post(path, recipient, body).expect(200);
      expect(confirmed.body).toMatchObject({ delivery: { reportedBy: 'recipient:UA' } });
      const [event] = await watcher.waitFor('the receipt', (m) => {
        return m.key === shipment.shipmentId && m.json?.type === 'tracker.shipment.delivered.v1';
      });
      expect(event.json).toMatchObject({ data: { reportedBy: 'recipient:UA' } });
      expect(
        watcher
          .withKey(shipment.shipmentId)
          .filter((m) => m.json?.type === 'tracker.shipment.delivered.v1'),
      ).toHaveLength(1);
    });

    it('answers 403 to a producer dispatching for another organisation', async () => {
      const { pledge, lot } = await allocatedPledge(feed, database);
      const shipment = aShipment().forPledge(pledge).withLots(lot).build();
      const response = await post('/v1/shipments', nammo, {
        ...shipment,
        producer: 'rheinmetall',
      }).expect(403);
      expect(response.body).toMatchObject({ code: 'outside-scope' });
      expect(watcher.withKey(shipment.shipmentId)).toEqual([]);
    });

    it("answers 403 to a producer shipping against a pledge it allocated nothing to, or citing another's lot", async () => {
      const { pledge, lot } = await allocatedPledge(feed, database);
      const nothingAllocated = aShipment().forPledge(pledge).withQuantity(1).build();
      const refused = await post('/v1/shipments', nammo, {
        ...nothingAllocated,
        lotIds: undefined,
      }).expect(403);
      expect((refused.body as { detail: string }).detail).toContain(
        `producer:nammo has no lots allocated to pledge ${pledge.pledgeId}`,
      );
      const nammos = await allocatedPledge(feed, database, { producer: 'nammo', pledge });
      const citingForeign = aShipment().forPledge(pledge).withLots(lot).withQuantity(1).build();
      const foreign = await post('/v1/shipments', nammo, citingForeign).expect(403);
      expect((foreign.body as { detail: string }).detail).toContain(
        `lot ${lot.lotId} is not a lot of producer:nammo allocated to pledge ${pledge.pledgeId}`,
      );
      const own = aShipment().forPledge(pledge).withLots(nammos.lot).withQuantity(1).build();
      await post('/v1/shipments', nammo, own).expect(201);
      await typesKeyedBy(own.shipmentId, 'tracker.shipment.dispatched.v1');
      expect(watcher.withKey(nothingAllocated.shipmentId)).toEqual([]);
      expect(watcher.withKey(citingForeign.shipmentId)).toEqual([]);
    });

    it('answers 409 exceeds-allocation past what the producer allocated and has not shipped', async () => {
      const { pledge, lot } = await allocatedPledge(feed, database, { allocated: 1000 });
      const first = aShipment().forPledge(pledge).withLots(lot).withQuantity(600).build();
      await post('/v1/shipments', rheinmetall, first).expect(201);
      const second = aShipment().forPledge(pledge).withLots(lot).withQuantity(401).build();
      const over = await post('/v1/shipments', rheinmetall, second).expect(409);
      expect(over.body).toMatchObject({
        code: 'exceeds-allocation',
        errors: [{ field: 'quantity' }],
      });
      const rest = aShipment().forPledge(pledge).withLots(lot).withQuantity(400).build();
      await post('/v1/shipments', rheinmetall, rest).expect(201);
      await typesKeyedBy(rest.shipmentId, 'tracker.shipment.dispatched.v1');
      expect(watcher.withKey(second.shipmentId)).toEqual([]);
    });

    it('lets a donor ship from its stocks against its own pledge only, up to what it has left', async () => {
      const pledge = await knownPledge(feed, database, aPledge().withQuantity(500).build());
      const { lotIds: _lots, ...fromStocks } = aShipment()
        .forPledge(pledge)
        .withQuantity(500)
        .build();
      await post('/v1/shipments', `Bearer ${TEST_TOKENS.donorPL}`, fromStocks).expect(403);
      const over = await post('/v1/shipments', `Bearer ${TEST_TOKENS.donorDE}`, {
        ...fromStocks,
        quantity: 501,
      }).expect(409);
      expect(over.body).toMatchObject({ code: 'exceeds-pledge' });
      await post('/v1/shipments', `Bearer ${TEST_TOKENS.donorDE}`, fromStocks).expect(201);
      await post(
        `/v1/shipments/${fromStocks.shipmentId}/milestones`,
        `Bearer ${TEST_TOKENS.donorDE}`,
        {
          status: 'handed-over',
        },
      ).expect(201);
      expect(await typesKeyedBy(fromStocks.shipmentId, 'tracker.shipment.milestone.v1')).toEqual([
        'tracker.shipment.dispatched.v1',
        'tracker.shipment.milestone.v1',
      ]);
    });
  });

  it('documents every route in its OpenAPI document, open without a token', async () => {
    const response = await request(service.url).get('/docs/json').expect(200);
    const paths = Object.keys((response.body as { paths: object }).paths);
    expect(paths.filter((path) => path.startsWith('/v1/')).sort()).toEqual([
      '/v1/shipments',
      '/v1/shipments/{id}',
      '/v1/shipments/{id}/delivery',
      '/v1/shipments/{id}/delivery/corrections',
      '/v1/shipments/{id}/loss',
      '/v1/shipments/{id}/milestones',
    ]);
  });

  describe('GET /v1/shipments/:id', () => {
    it('shows the shipment as recorded; 404 when unknown, 400 for a malformed id', async () => {
      const shipment = await aDispatchedShipment();
      const response = await request(service.url)
        .get(`/v1/shipments/${shipment.shipmentId}`)
        .set('Authorization', `Bearer ${TEST_TOKENS.ops}`)
        .expect(200);
      expect(response.body).toEqual({
        ...shipment,
        producer: 'rheinmetall',
        status: 'in-transit',
        lost: 0,
        lastMilestone: null,
        delivery: null,
      });
      await request(service.url)
        .get(`/v1/shipments/${newId()}`)
        .set('Authorization', admin)
        .expect(404);
      await request(service.url)
        .get('/v1/shipments/not%20an%20id')
        .set('Authorization', admin)
        .expect(400);
    });

    it('shows it to its sender, donor and recipient; to anyone else 404, like a missing shipment', async () => {
      const shipment = await aDispatchedShipment();
      const read = (id: string, token: string) =>
        request(service.url).get(`/v1/shipments/${id}`).set('Authorization', token);
      for (const token of [rheinmetall, `Bearer ${TEST_TOKENS.donorDE}`, recipient]) {
        await read(shipment.shipmentId, token).expect(200);
      }
      const missingId = newId();
      const missing = await read(missingId, nammo).expect(404);
      const withoutId = (body: object, id: string): unknown =>
        JSON.parse(JSON.stringify({ ...body, requestId: undefined }).replaceAll(id, '<id>'));
      for (const token of [nammo, `Bearer ${TEST_TOKENS.donorPL}`]) {
        const hidden = await read(shipment.shipmentId, token).expect(404);
        expect(hidden.headers['content-type']).toBe(missing.headers['content-type']);
        expect(withoutId(hidden.body as object, shipment.shipmentId)).toEqual(
          withoutId(missing.body as object, missingId),
        );
      }
    });
  });
});

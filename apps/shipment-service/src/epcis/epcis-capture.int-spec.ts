import { TOPICS } from '@tracker/contracts';
import {
  TEST_TOKENS,
  TestDatabase,
  TestService,
  TopicWatcher,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import request from 'supertest';
import {
  allocatedPledge,
  KafkaFeed,
  startShipmentService,
  suiteTopicPrefix,
} from '../shipment-service.testing';
import { CaptureJob } from './epcis-capture.service';
import {
  aggregationShippingEvent,
  anExampleShipment,
  arrivingEvent,
  departingEvent,
  destroyingEvent,
  epcisDocument,
  ExampleShipment,
  inspectingEvent,
  receivingEvent,
  shippingEvent,
} from './epcis.examples';

const admin = `Bearer ${TEST_TOKENS.admin}`;
const ops = `Bearer ${TEST_TOKENS.ops}`;
const rheinmetall = `Bearer ${TEST_TOKENS.producerRheinmetall}`;
const nammo = `Bearer ${TEST_TOKENS.producerNammo}`;
const recipient = `Bearer ${TEST_TOKENS.recipientUA}`;
/** Short waits, so a capture is processed within the test's deadlines. */
const EPCIS_TIMINGS = { pollMs: 100, retryMs: 100, laggingBudgetMs: 5000 };

describe('EPCIS 2.0 capture (POST /epcis/capture)', () => {
  const topicPrefix = suiteTopicPrefix('epcis');
  let database: TestDatabase;
  let service: TestService;
  let watcher: TopicWatcher;
  let feed: KafkaFeed;

  beforeAll(async () => {
    database = await TestDatabase.create('epcis');
    watcher = await TopicWatcher.start([TOPICS.shipments], undefined, topicPrefix);
    feed = await KafkaFeed.start(topicPrefix);
    service = await startShipmentService(database, uniqueGroupPrefix('epcis'), topicPrefix, {
      epcis: EPCIS_TIMINGS,
    });
  });

  afterAll(async () => {
    await service?.close();
    await feed?.stop();
    await watcher?.stop();
    await database?.drop();
  });

  /** Captures `document` as `token`: the 202 and its Location. */
  async function capture(
    token: string,
    document: object,
    url = service.url,
    contentType = 'application/ld+json',
  ): Promise<string> {
    const response = await request(url)
      .post('/epcis/capture')
      .set('Authorization', token)
      .set('Content-Type', contentType)
      .send(JSON.stringify(document))
      .expect(202);
    const location = response.headers.location;
    expect(location).toMatch(/^\/epcis\/capture\/[0-9a-f-]{36}$/);
    expect(response.body).toEqual({ id: location.split('/').pop(), status: 'pending' });
    return location;
  }

  /** The capture job once the worker finished it. */
  async function finished(location: string, token: string, url = service.url) {
    return waitFor(`capture ${location} to finish`, async () => {
      const response = await request(url).get(location).set('Authorization', token).expect(200);
      const job = response.body as CaptureJob;
      return job.status === 'pending' ? undefined : job;
    });
  }

  /** Captures and expects the whole document applied; answers the job. */
  async function applied(token: string, ...events: Record<string, unknown>[]) {
    const job = await finished(await capture(token, epcisDocument(...events)), token);
    expect(job).toMatchObject({ status: 'succeeded', success: true, errors: [] });
    return job;
  }

  /** The tracker event of `type` for shipment `key`, as seen on tracker.shipments.v1. */
  async function published(key: string, type: string) {
    const [message] = await watcher.waitFor(
      `${type} keyed ${key}`,
      (m) => m.key === key && m.json?.type === type,
    );
    return message.json as { id: string; data: Record<string, unknown> };
  }

  const shipmentOf = async (s: ExampleShipment) =>
    (await request(service.url).get(`/v1/shipments/${s.sscc}`).set('Authorization', admin))
      .body as Record<string, unknown>;

  /** A shipment of Rheinmetall's lot towards a pledge shipment-service knows. */
  async function aShipmentToCapture(allocated = 2400): Promise<ExampleShipment> {
    const { pledge, lot } = await allocatedPledge(feed, database, { allocated });
    return anExampleShipment({
      pledgeId: pledge.pledgeId,
      lotId: lot.lotId,
      quantity: allocated,
    });
  }

  it('shipping → arriving → receiving: dispatched, milestone, delivered on Kafka, and the figures move', async () => {
    const s = await aShipmentToCapture();
    const job = await applied(rheinmetall, shippingEvent(s));
    const dispatched = await published(s.sscc, 'tracker.shipment.dispatched.v1');
    expect(dispatched.data).toMatchObject({
      shipmentId: s.sscc,
      pledgeId: s.pledgeId,
      itemCode: 'AMMO-155MM',
      quantity: 2400,
      lotIds: [s.lotId],
      dispatchedBy: 'producer:rheinmetall',
    });
    expect(job.events).toEqual([
      expect.objectContaining({
        index: 0,
        trackerEvent: {
          id: dispatched.id,
          type: 'tracker.shipment.dispatched.v1',
          subject: s.sscc,
        },
      }),
    ]);
    expect(await shipmentOf(s)).toMatchObject({ status: 'in-transit', quantity: 2400 });

    await applied(rheinmetall, arrivingEvent(s, 'border-crossed'));
    expect((await published(s.sscc, 'tracker.shipment.milestone.v1')).data).toMatchObject({
      status: 'border-crossed',
      location: 'urn:epc:id:sgln:5901234.00003.0',
    });

    await applied(recipient, receivingEvent(s, 'conformant'));
    expect((await published(s.sscc, 'tracker.shipment.delivered.v1')).data).toMatchObject({
      receivedQuantity: 2400,
      acceptedQuantity: 2400,
      rejectedQuantity: 0,
      reportedBy: 'recipient:UA',
    });
    expect(await shipmentOf(s)).toMatchObject({
      status: 'delivered',
      delivery: { acceptedQuantity: 2400 },
    });
  });

  it('departing (TransactionEvent, plain JSON) → dispatched, then in-transit; destroying → lost', async () => {
    const s = await aShipmentToCapture();
    const location = await capture(
      rheinmetall,
      epcisDocument(departingEvent(s)),
      service.url,
      'application/json',
    );
    expect(await finished(location, rheinmetall)).toMatchObject({ status: 'succeeded' });
    await published(s.sscc, 'tracker.shipment.dispatched.v1');
    // Leaving the next stop, with the same references: a milestone of the recorded shipment.
    const onward = departingEvent(s);
    await applied(rheinmetall, {
      ...onward,
      readPoint: { id: 'urn:epc:id:sgln:5901234.00003.0' },
      bizLocation: { id: 'urn:epc:id:sgln:5901234.00003.0' },
    });
    expect((await published(s.sscc, 'tracker.shipment.milestone.v1')).data).toMatchObject({
      status: 'in-transit',
      location: 'urn:epc:id:sgln:5901234.00003.0',
    });
    await applied(rheinmetall, destroyingEvent(s, 40));
    expect((await published(s.sscc, 'tracker.shipment.lost.v1')).data).toMatchObject({
      quantity: 40,
      reason: 'EPCIS destroying: destroyed',
    });
    expect(await shipmentOf(s)).toMatchObject({ status: 'lost', lost: 40 });
  });

  it('shipping (AggregationEvent), then receiving in_progress and inspecting → one receipt with its rejected part', async () => {
    const s = await aShipmentToCapture();
    await applied(rheinmetall, aggregationShippingEvent(s));
    await published(s.sscc, 'tracker.shipment.dispatched.v1');
    const job = await applied(
      recipient,
      receivingEvent(s, 'in_progress'),
      inspectingEvent(s, 'conformant', 2300),
      inspectingEvent(s, 'damaged', 100),
    );
    expect(job.events.map((event) => event.note ?? event.trackerEvent?.type)).toEqual([
      'tracker.shipment.delivered.v1',
      'inspection-folded-into-event-0',
      'inspection-folded-into-event-0',
    ]);
    expect((await published(s.sscc, 'tracker.shipment.delivered.v1')).data).toMatchObject({
      receivedQuantity: 2400,
      acceptedQuantity: 2300,
      rejectedQuantity: 100,
      rejectionReason: 'damaged',
    });
  });

  it('a document with one bad event changes nothing; its status names the event', async () => {
    const good = await aShipmentToCapture();
    const over = anExampleShipment({ ...good, sscc: anExampleShipment().sscc, quantity: 2401 });
    const goodEvent = shippingEvent(good);
    const bad = shippingEvent(over);
    const location = await capture(rheinmetall, epcisDocument(goodEvent, bad));
    const job = await finished(location, rheinmetall);
    expect(job).toMatchObject({
      status: 'failed',
      success: false,
      events: [],
      errors: [
        {
          index: 1,
          eventID: bad.eventID,
          errorType: 'ValidationException',
          rule: 'exceeds-allocation',
          field: 'quantity',
        },
      ],
    });
    await request(service.url)
      .get(`/v1/shipments/${good.sscc}`)
      .set('Authorization', admin)
      .expect(404);
    const rows = await database.query('select 1 from outbox where key = $1', [good.sscc]);
    expect(rows).toEqual([]);
    // The same good event alone is then applied: the refused document recorded no eventID.
    await applied(rheinmetall, goodEvent);
    await published(good.sscc, 'tracker.shipment.dispatched.v1');
  });

  it('applies a duplicate eventID once, within a document and across documents', async () => {
    const s = await aShipmentToCapture();
    const shipping = shippingEvent(s);
    const first = await applied(rheinmetall, shipping, shipping);
    expect(first.events.map((event) => event.note)).toEqual([undefined, 'duplicate-event-id']);
    const again = await applied(rheinmetall, shipping);
    expect(again.events).toEqual([
      { index: 0, eventID: shipping.eventID, note: 'duplicate-event-id' },
    ]);
    await applied(rheinmetall, arrivingEvent(s));
    await published(s.sscc, 'tracker.shipment.milestone.v1');
    expect(
      watcher
        .withKey(s.sscc)
        .filter((message) => message.json?.type === 'tracker.shipment.dispatched.v1'),
    ).toHaveLength(1);
  });

  it("refuses a producer's dispatch against another producer's pledge (SecurityException)", async () => {
    const s = await aShipmentToCapture();
    const job = await finished(await capture(nammo, epcisDocument(shippingEvent(s))), nammo);
    expect(job).toMatchObject({
      status: 'failed',
      errors: [{ index: 0, errorType: 'SecurityException', rule: 'outside-scope' }],
    });
  });

  it("refuses the sender's own receipt: receiving is the recipient's", async () => {
    const s = await aShipmentToCapture();
    await applied(rheinmetall, shippingEvent(s));
    const job = await finished(
      await capture(rheinmetall, epcisDocument(receivingEvent(s))),
      rheinmetall,
    );
    expect(job.errors).toMatchObject([{ index: 0, errorType: 'SecurityException' }]);
  });

  it('refuses a structurally invalid document at once: 400 problem+json naming the field', async () => {
    const s = anExampleShipment();
    const response = await request(service.url)
      .post('/epcis/capture')
      .set('Authorization', rheinmetall)
      .send(epcisDocument({ ...shippingEvent(s), action: 'SHIP' }))
      .expect(400)
      .expect('Content-Type', /application\/problem\+json/);
    expect(response.body).toMatchObject({
      errors: [{ field: 'epcisBody.eventList[0].action' }],
    });
  });

  it('honours Idempotency-Key: a retried capture answers the first job', async () => {
    const document = epcisDocument(shippingEvent(anExampleShipment()));
    const key = `epcis-retry-${anExampleShipment().pledgeId}`;
    const send = () =>
      request(service.url)
        .post('/epcis/capture')
        .set('Authorization', rheinmetall)
        .set('Idempotency-Key', key)
        .send(document);
    const first = await send().expect(202);
    const again = await send().expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.body).toEqual(first.body);
  });

  it('offers only the rollback capture error behaviour', async () => {
    const document = epcisDocument(shippingEvent(anExampleShipment()));
    const response = await request(service.url)
      .post('/epcis/capture')
      .set('Authorization', rheinmetall)
      .set('GS1-Capture-Error-Behaviour', 'proceed')
      .send(document)
      .expect(400);
    expect(response.body).toMatchObject({ code: 'capture-error-behaviour-not-supported' });
    await request(service.url)
      .post('/epcis/capture')
      .set('Authorization', rheinmetall)
      .set('GS1-Capture-Error-Behaviour', 'rollback')
      .send(document)
      .expect(202);
  });

  it('is for the parties that ship and receive; a job is read by its capturer, admin and ops', async () => {
    const document = epcisDocument(shippingEvent(anExampleShipment()));
    await request(service.url)
      .post('/epcis/capture')
      .set('Authorization', ops)
      .send(document)
      .expect(403);
    const location = await capture(rheinmetall, document);
    await request(service.url).get(location).set('Authorization', nammo).expect(404);
    await request(service.url).get(location).set('Authorization', ops).expect(200);
    await request(service.url).get(location).set('Authorization', admin).expect(200);
  });

  it('fails a capture whose processing keeps failing, rather than leaving it pending', async () => {
    // A stored document the worker cannot read (as after a schema change): every attempt fails.
    const [row] = await database.query<{ capture_id: string }>(
      `insert into epcis_captures (capture_id, captured_by, document, event_count)
       values (gen_random_uuid()::text, '{"kind":"admin"}', '{"type":"EPCISDocument"}', 1)
       returning capture_id`,
    );
    const job = await finished(`/epcis/capture/${row.capture_id}`, admin);
    expect(job).toMatchObject({
      status: 'failed',
      success: false,
      failure: { errorType: 'ImplementationException' },
    });
  });

  it('processes a capture accepted before a restart once the service is back', async () => {
    const restartDb = await TestDatabase.create('epcis_restart');
    const groups = uniqueGroupPrefix('epcis-restart');
    let stopped: TestService | undefined = await startShipmentService(
      restartDb,
      groups,
      topicPrefix,
      {
        epcis: { ...EPCIS_TIMINGS, worker: false },
      },
    );
    let restarted: TestService | undefined;
    try {
      const { pledge, lot } = await allocatedPledge(feed, restartDb);
      const s = anExampleShipment({ pledgeId: pledge.pledgeId, lotId: lot.lotId });
      const location = await capture(rheinmetall, epcisDocument(shippingEvent(s)), stopped.url);
      await stopped.close();
      stopped = undefined;
      restarted = await startShipmentService(restartDb, groups, topicPrefix, {
        epcis: EPCIS_TIMINGS,
      });
      expect(await finished(location, rheinmetall, restarted.url)).toMatchObject({
        status: 'succeeded',
      });
      await published(s.sscc, 'tracker.shipment.dispatched.v1');
    } finally {
      await stopped?.close();
      await restarted?.close();
      await restartDb.drop();
    }
  });
});

import { CLOUDEVENTS_CONTENT_TYPE, TrackerEvent } from '@tracker/contracts';
import {
  aMilestone,
  anAlert,
  anAlertClearance,
  aPledge,
  aPledgeAmendment,
  aShipment,
  startTestService,
  TEST_TOKENS,
  TestService,
  waitFor,
} from '@tracker/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { verifyDelivery } from '../src/deliveries/signing';
import { ADMIN, subscribe, WebhookHarness } from './webhook-harness';
import { Received, WebhookReceiver } from './webhook-receiver';

const factory = (config: Parameters<typeof AppModule.forRoot>[0]) => AppModule.forRoot(config);

/** Each delivery's signature, checked as a receiver would (and its timestamp is recent). */
function expectSigned(received: readonly Received[], secret: string): void {
  for (const entry of received) {
    expect(entry.contentType).toContain(CLOUDEVENTS_CONTENT_TYPE);
    expect(Math.abs(entry.timestamp - Date.now() / 1000)).toBeLessThan(300);
    expect(verifyDelivery(secret, entry.id, entry.timestamp, entry.body, entry.signature)).toBe(
      true,
    );
    expect((JSON.parse(entry.body) as { id: string }).id).toBe(entry.id);
  }
}

/** Event ids in the order they first arrived. */
function firstArrivals(received: readonly Received[]): string[] {
  return [...new Set(received.map((entry) => entry.id))];
}

describe('webhook deliveries', () => {
  let harness: WebhookHarness;
  let service: TestService;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    harness = await WebhookHarness.create('webhooks');
    service = await startTestService(
      'webhook-service',
      factory,
      harness.env({
        WEBHOOK_TIMEOUT: '300ms',
        WEBHOOK_BACKOFF_INITIAL: '50ms',
        WEBHOOK_BACKOFF_MAX: '200ms',
        WEBHOOK_RETRY_FOR: '4s',
      }),
    );
  });

  afterAll(async () => {
    await service?.close();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
    await harness?.close();
  });

  async function receiver(behaviour?: (n: number) => number | 'hang') {
    const started = await WebhookReceiver.start(behaviour);
    receivers.push(started);
    return started;
  }

  it('delivers every event once, in order and signed, through failures, a timeout and a recovery, while a dead endpoint waits apart', async () => {
    // Fails twice, then never answers (past the timeout), then recovers.
    const flaky = await receiver((n) => (n <= 2 ? 500 : n === 3 ? 'hang' : 204));
    const dead = await receiver(() => 'hang');
    const types = ['tracker.pledge.announced.v1', 'tracker.pledge.amended.v1'];
    const first = await subscribe(service.url, ADMIN, { url: flaky.url, eventTypes: types });
    const second = await subscribe(service.url, ADMIN, { url: dead.url, eventTypes: types });

    const pledge = aPledge().withQuantity(1000).build();
    const events: TrackerEvent[] = [aPledge().withPledgeId(pledge.pledgeId).buildEvent()];
    for (let index = 1; index <= 10; index++) {
      events.push(
        aPledgeAmendment()
          .forPledge(pledge)
          .withQuantity(1000 + index)
          .buildEvent(),
      );
    }
    await harness.publish(...events);

    await waitFor('every event at the recovered endpoint', () => flaky.delivered.length >= 11, {
      timeoutMs: 30_000,
    });
    const ids = events.map((event) => event.id);
    expect(flaky.delivered.map((entry) => entry.id)).toEqual(ids);
    expect(flaky.received.slice(0, 3).map((entry) => entry.answer)).toEqual([500, 500, 'hung']);
    // The first event was attempted four times; none of the others was sent before it arrived.
    expect(flaky.received.slice(0, 4).map((entry) => entry.id)).toEqual(Array(4).fill(ids[0]));
    expect(firstArrivals(flaky.received)).toEqual(ids);
    expectSigned(flaky.received, first.secret);
    expect(flaky.received[0].body).toBe(JSON.stringify(events[0]));

    // Meanwhile the dead endpoint got its first event only, again and again.
    expect(dead.delivered).toHaveLength(0);
    expect(new Set(dead.received.map((entry) => entry.id))).toEqual(new Set([ids[0]]));
    expectSigned(dead.received, second.secret);

    const answer = await request(service.url)
      .get(`/v1/subscriptions/${first.id}/deliveries`)
      .set('Authorization', `Bearer ${ADMIN}`)
      .expect(200);
    const listed = (
      answer.body as { deliveries: { eventId: string; status: string; attempts: number }[] }
    ).deliveries;
    expect(listed.map((delivery) => delivery.eventId)).toEqual([...ids].reverse());
    expect(listed.every((delivery) => delivery.status === 'delivered')).toBe(true);
    expect(listed.at(-1)?.attempts).toBe(4);

    const metrics = await request(service.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /^tracker_webhook_attempts_total\{[^}]*outcome="delivered"[^}]*\} \d+/m,
    );
    expect(metrics.text).toMatch(
      /^tracker_webhook_attempts_total\{[^}]*outcome="retried"[^}]*\} \d+/m,
    );
  });

  it('parks a delivery that keeps failing past the retry window, and sends it and the rest in order after a resume', async () => {
    const down = await receiver(() => 503);
    const { id, secret } = await subscribe(service.url, ADMIN, {
      url: down.url,
      eventTypes: ['tracker.pledge.announced.v1'],
    });
    const events = [aPledge().buildEvent(), aPledge().buildEvent(), aPledge().buildEvent()];
    await harness.publish(...events);
    const deliveries = () =>
      request(service.url)
        .get(`/v1/subscriptions/${id}/deliveries`)
        .set('Authorization', `Bearer ${ADMIN}`)
        .expect(200)
        .then(
          (response) =>
            (response.body as { deliveries: { eventId: string; status: string }[] }).deliveries,
        );
    const parked = await waitFor(
      'a parked delivery',
      async () => (await deliveries()).find((delivery) => delivery.status === 'parked'),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const subscription = await request(service.url)
      .get(`/v1/subscriptions/${id}`)
      .set('Authorization', `Bearer ${ADMIN}`)
      .expect(200);
    const parkedAt = (subscription.body as { parkedAt: unknown }).parkedAt;
    expect(typeof parkedAt).toBe('string');
    expect(subscription.body).not.toHaveProperty('secret');

    down.behaviour = () => 200;
    await request(service.url)
      .post(`/v1/subscriptions/${id}/resume`)
      .set('Authorization', `Bearer ${ADMIN}`)
      .expect(200, { resumed: 1 });
    await waitFor('every event after the resume', () => down.delivered.length >= 3, {
      timeoutMs: 20_000,
    });
    expect(down.delivered[0].id).toBe(parked.eventId);
    expect(firstArrivals(down.delivered)).toEqual(firstArrivals(down.received));
    expect(down.delivered).toHaveLength(3);
    expectSigned(down.received, secret);
  });

  it("sends a donor what it may see: every pledge announcement, its own pledges' milestones, never another donor's", async () => {
    const german = await receiver();
    const everything = await receiver();
    const types = ['tracker.pledge.announced.v1', 'tracker.shipment.milestone.v1'];
    const donor = await subscribe(service.url, TEST_TOKENS.donorDE, {
      url: german.url,
      eventTypes: types,
    });
    await subscribe(service.url, ADMIN, { url: everything.url, eventTypes: types });

    const ownPledge = aPledge().withDonor('DE');
    const othersPledge = aPledge().withDonor('PL');
    const ownShipment = aShipment().forPledge(ownPledge.build()).sentBy('donor:DE');
    const othersShipment = aShipment().forPledge(othersPledge.build()).sentBy('donor:PL');
    const events = [
      ownPledge.buildEvent(),
      othersPledge.buildEvent(),
      ownShipment.buildEvent(),
      othersShipment.buildEvent(),
    ];
    // Pledges and shipments are on different topics, read in no fixed order: a shipment event
    // whose pledge the view does not know yet goes to admin and ops only (README).
    await harness.publish(events[0], events[1]);
    await waitFor('both pledges in the parties view', async () => {
      const rows = await harness.database.query(
        'select 1 from pledge_parties where pledge_id = any($1)',
        [[ownPledge.build().pledgeId, othersPledge.build().pledgeId]],
      );
      return rows.length === 2;
    });
    await harness.publish(events[2], events[3]);
    const ownMilestone = aMilestone().forShipment(ownShipment.build()).buildEvent();
    const othersMilestone = aMilestone().forShipment(othersShipment.build()).buildEvent();
    await harness.publish(ownMilestone, othersMilestone);

    await waitFor('both milestones at the admin endpoint', () => everything.delivered.length >= 4, {
      timeoutMs: 20_000,
    });
    await waitFor('the donor’s three events', () => german.delivered.length >= 3, {
      timeoutMs: 20_000,
    });
    expect(new Set(german.delivered.map((entry) => entry.id))).toEqual(
      new Set([events[0].id, events[1].id, ownMilestone.id]),
    );
    const queued = await harness.database.query<{ event_id: string }>(
      'select event_id from deliveries where subscription_id = $1',
      [donor.id],
    );
    expect(queued.map((row) => row.event_id)).not.toContain(othersMilestone.id);
  });

  it('sends an alert and its clearing to the parties the alert names, and no one else', async () => {
    const ukrainian = await receiver();
    const everything = await receiver();
    const eventTypes = ['tracker.alert.raised.v1', 'tracker.alert.cleared.v1'];
    await subscribe(service.url, TEST_TOKENS.recipientUA, { url: ukrainian.url, eventTypes });
    await subscribe(service.url, ADMIN, { url: everything.url, eventTypes });
    const ours = anAlert().withDetails({ donor: 'DE', recipient: 'UA', daysLate: 3 });
    const theirs = anAlert().withDetails({ donor: 'PL', recipient: 'CZ', daysLate: 3 });
    const events = [
      ours.buildEvent(),
      theirs.buildEvent(),
      anAlertClearance().forAlert(ours.build()).buildEvent(),
      anAlertClearance().forAlert(theirs.build()).buildEvent(),
    ];
    // Each alert's clearing after it (one key, one partition); the two alerts in any order.
    await harness.publish(...events);
    await waitFor(
      'every alert event at the admin endpoint',
      () => everything.delivered.length >= 4,
      {
        timeoutMs: 20_000,
      },
    );
    await waitFor('our alert and its clearing', () => ukrainian.delivered.length >= 2, {
      timeoutMs: 20_000,
    });
    expect(ukrainian.delivered.map((entry) => entry.id)).toEqual([events[0].id, events[2].id]);
  });

  it('sends only the events its filters name, and pages its deliveries newest first', async () => {
    const target = await receiver();
    const wanted = aPledge().withItem('SAM-IRIS-T');
    const { id } = await subscribe(service.url, ADMIN, {
      url: target.url,
      eventTypes: ['tracker.pledge.announced.v1', 'tracker.pledge.amended.v1'],
      filters: { pledgeIds: [wanted.build().pledgeId], itemCodes: ['SAM-IRIS-T'] },
    });
    const events = [
      aPledge().withItem('SAM-IRIS-T').buildEvent(),
      wanted.buildEvent(),
      aPledgeAmendment().forPledge(wanted.build()).withQuantity(7).buildEvent(),
      aPledgeAmendment().forPledge(wanted.build()).withQuantity(8).buildEvent(),
    ];
    await harness.publish(...events);
    await waitFor('the filtered events', () => target.delivered.length >= 3, {
      timeoutMs: 20_000,
    });
    expect(target.delivered.map((entry) => entry.id)).toEqual(
      events.slice(1).map((event) => event.id),
    );
    const page = async (query: string) =>
      (
        (
          await request(service.url)
            .get(`/v1/subscriptions/${id}/deliveries${query}`)
            .set('Authorization', `Bearer ${ADMIN}`)
            .expect(200)
        ).body as { deliveries: { seq: number; eventId: string }[] }
      ).deliveries;
    const newest = await page('?limit=2');
    expect(newest.map((delivery) => delivery.eventId)).toEqual([events[3].id, events[2].id]);
    const older = await page(`?limit=2&before=${newest[1].seq}`);
    expect(older.map((delivery) => delivery.eventId)).toEqual([events[1].id]);
    await request(service.url)
      .get(`/v1/subscriptions/${id}/deliveries?limit=0`)
      .set('Authorization', `Bearer ${ADMIN}`)
      .expect(400);
  });

  it("answers another party's subscription 404, keeps the secret out of reads, and refuses bad input naming the field", async () => {
    const target = await receiver();
    const { id } = await subscribe(service.url, TEST_TOKENS.donorDE, {
      url: target.url,
      eventTypes: ['tracker.pledge.announced.v1'],
    });
    await request(service.url)
      .get(`/v1/subscriptions/${id}`)
      .set('Authorization', `Bearer ${TEST_TOKENS.donorPL}`)
      .expect(404);
    await request(service.url)
      .delete(`/v1/subscriptions/${id}`)
      .set('Authorization', `Bearer ${TEST_TOKENS.donorPL}`)
      .expect(404);
    const listed = await request(service.url)
      .get('/v1/subscriptions')
      .set('Authorization', `Bearer ${TEST_TOKENS.donorPL}`)
      .expect(200);
    expect(listed.body).toEqual({ subscriptions: [] });
    const own = await request(service.url)
      .get('/v1/subscriptions')
      .set('Authorization', `Bearer ${TEST_TOKENS.donorDE}`)
      .expect(200);
    expect(JSON.stringify(own.body)).not.toContain('whsec_');
    const owned = own.body as { subscriptions: { id: string; owner: string }[] };
    expect(owned.subscriptions.map((subscription) => subscription.id)).toContain(id);
    expect(owned.subscriptions.every((subscription) => subscription.owner === 'donor:DE')).toBe(
      true,
    );

    const refused = await request(service.url)
      .post('/v1/subscriptions')
      .set('Authorization', `Bearer ${ADMIN}`)
      .send({ url: target.url, eventTypes: ['tracker.pledge.exploded.v1'] })
      .expect(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(refused.body)).toContain('eventTypes[0]');
    await request(service.url)
      .get('/v1/subscriptions/not-a-uuid')
      .set('Authorization', `Bearer ${ADMIN}`)
      .expect(400);

    await request(service.url)
      .delete(`/v1/subscriptions/${id}`)
      .set('Authorization', `Bearer ${TEST_TOKENS.donorDE}`)
      .expect(204);
    await request(service.url)
      .get(`/v1/subscriptions/${id}`)
      .set('Authorization', `Bearer ${TEST_TOKENS.donorDE}`)
      .expect(404);
  });
});

import { TOPICS } from '@tracker/contracts';
import {
  AS,
  aUniqueLot,
  expectProblem,
  ProductionHarness,
  uniqueLotId,
} from '../testing/production-harness';

const COMPLETED = 'tracker.production.lot-completed.v1';
const QA_CHANGED = 'tracker.production.lot-qa-changed.v1';

describe('lots: POST /v1/lots and POST /v1/lots/:id/qa', () => {
  let harness: ProductionHarness;

  beforeAll(async () => {
    harness = await ProductionHarness.start('lots');
  });

  afterAll(async () => {
    await harness?.stop();
  });

  /** Reports a lot as Rheinmetall and returns it. */
  async function reported(builder = aUniqueLot()) {
    const lot = builder.build();
    await harness.post('/v1/lots', AS.rheinmetall, lot).expect(201);
    return lot;
  }

  function changeQa(lotId: string, body: unknown, as: string = AS.rheinmetall) {
    return harness.post(`/v1/lots/${lotId}/qa`, as, body);
  }

  describe('reporting a lot', () => {
    it('answers 201 with the lot, all of it unallocated, and publishes one lot-completed event', async () => {
      const { completedAt: _now, ...lot } = aUniqueLot().withQuantity(1_200).build();
      const response = await harness.post('/v1/lots', AS.admin, lot).expect(201);
      expect(response.body).toMatchObject({
        ...lot,
        allocated: 0,
        unallocated: 1_200,
        completedAt: expect.any(String) as unknown,
      });
      const [event] = await harness.watcher.waitFor('the lot event', (m) => m.key === lot.lotId);
      expect(event.topic).toBe(TOPICS.production);
      expect(event.headers['content-type']).toBe('application/cloudevents+json');
      expect(event.json).toMatchObject({
        type: COMPLETED,
        source: '/production-service',
        subject: lot.lotId,
        data: { ...lot, completedAt: (response.body as { completedAt: string }).completedAt },
      });
    });

    it("refuses another organisation's lot with 403 and publishes nothing", async () => {
      const lot = aUniqueLot().build();
      const response = await harness.post('/v1/lots', AS.nammo, lot);
      expect(expectProblem(response, 403).code).toBe('outside-scope');
      await harness.post('/v1/lots', AS.rheinmetall, lot).expect(201);
      await expect(harness.typesWithKey(lot.lotId, 1)).resolves.toEqual([COMPLETED]);
    });

    it('answers 401 without a token and 403 to roles other than admin and producer', async () => {
      const lot = aUniqueLot().build();
      expectProblem(await harness.post('/v1/lots', undefined, lot), 401);
      expectProblem(await harness.post('/v1/lots', AS.ops, lot), 403);
      expectProblem(await harness.post('/v1/lots', AS.donorDE, lot), 403);
      await harness.post('/v1/lots', AS.admin, lot).expect(201);
      await expect(harness.typesWithKey(lot.lotId, 1)).resolves.toEqual([COMPLETED]);
    });

    it('refuses an empty lot and a malformed lot id with 422 naming the field', async () => {
      const lot = aUniqueLot().build();
      const empty = await harness.post('/v1/lots', AS.admin, { ...lot, quantity: 0 });
      expect(expectProblem(empty, 422).errors).toEqual([
        { field: 'quantity', rule: 'must be a positive integer' },
      ]);
      const badId = await harness.post('/v1/lots', AS.admin, { ...lot, lotId: 'lot with spaces' });
      expectProblem(badId, 422, 'lotId');
      await harness.post('/v1/lots', AS.admin, lot).expect(201);
      await expect(harness.typesWithKey(lot.lotId, 1)).resolves.toEqual([COMPLETED]);
    });

    it('answers a repeat of the same lot like the first and refuses other content with 409', async () => {
      const lot = aUniqueLot().build();
      const first = await harness.post('/v1/lots', AS.rheinmetall, lot).expect(201);
      const repeat = await harness.post('/v1/lots', AS.rheinmetall, lot).expect(201);
      expect(repeat.body).toEqual(first.body);
      const { completedAt: _left, ...withoutTime } = lot;
      await harness.post('/v1/lots', AS.rheinmetall, withoutTime).expect(201);
      const other = await harness.post('/v1/lots', AS.rheinmetall, { ...lot, quantity: 1 });
      expect(expectProblem(other, 409, 'lotId').code).toBe('lot-exists');
      await changeQa(lot.lotId, { qaStatus: 'hold' }).expect(200);
      await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, QA_CHANGED]);
    });

    it('replays an Idempotency-Key retry and refuses the key with another body (422)', async () => {
      const lot = aUniqueLot().build();
      const key = { 'Idempotency-Key': `lot-${lot.lotId}` };
      const first = await harness.post('/v1/lots', AS.rheinmetall, lot, key).expect(201);
      const retry = await harness.post('/v1/lots', AS.rheinmetall, lot, key).expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
      const reused = await harness.post('/v1/lots', AS.rheinmetall, { ...lot, quantity: 7 }, key);
      expect(expectProblem(reused, 422, 'Idempotency-Key').code).toBe('idempotency-key-reused');
      await changeQa(lot.lotId, { qaStatus: 'hold' }).expect(200);
      await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, QA_CHANGED]);
    });
  });

  describe('changing QA status', () => {
    it('holds and releases a lot, one lot-qa-changed event each, keyed by the lot', async () => {
      const lot = await reported();
      const held = await changeQa(lot.lotId, { qaStatus: 'hold', reason: 'Fuze rework' });
      expect(held.status).toBe(200);
      expect(held.body).toMatchObject({ lotId: lot.lotId, qaStatus: 'hold' });
      await changeQa(lot.lotId, { qaStatus: 'passed' }).expect(200);
      await expect(harness.typesWithKey(lot.lotId, 3)).resolves.toEqual([
        COMPLETED,
        QA_CHANGED,
        QA_CHANGED,
      ]);
      const [, hold, release] = harness.watcher.withKey(lot.lotId);
      expect(hold.json).toMatchObject({
        subject: lot.lotId,
        data: { lotId: lot.lotId, qaStatus: 'hold', reason: 'Fuze rework' },
      });
      expect(release.json).toMatchObject({ data: { lotId: lot.lotId, qaStatus: 'passed' } });
      await expect(
        harness.get(`/v1/lots/${lot.lotId}`).then((r) => r.body as unknown),
      ).resolves.toMatchObject({ qaStatus: 'passed' });
    });

    it('refuses a change to the status the lot already has with 409', async () => {
      const lot = await reported();
      const same = await changeQa(lot.lotId, { qaStatus: 'passed' });
      expect(expectProblem(same, 409, 'qaStatus').code).toBe('qa-status-unchanged');
      await changeQa(lot.lotId, { qaStatus: 'hold' }).expect(200);
      await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, QA_CHANGED]);
    });

    it('keeps a rejected lot rejected: releasing or holding it is 409', async () => {
      const lot = await reported();
      await changeQa(lot.lotId, { qaStatus: 'rejected', reason: 'Propellant out of spec' }).expect(
        200,
      );
      const release = await changeQa(lot.lotId, { qaStatus: 'passed' });
      expect(expectProblem(release, 409, 'qaStatus').code).toBe('lot-rejected');
      expectProblem(await changeQa(lot.lotId, { qaStatus: 'hold' }), 409, 'qaStatus');
      // A rejected lot takes no more events: the marker is another lot, published after.
      const marker = await reported();
      await harness.typesWithKey(marker.lotId, 1);
      await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, QA_CHANGED]);
    });

    it('answers 404 for an unknown lot and 422 naming an unknown status', async () => {
      expectProblem(await changeQa(uniqueLotId(), { qaStatus: 'hold' }), 404);
      const lot = await reported();
      expectProblem(await changeQa(lot.lotId, { qaStatus: 'released' }), 422, 'qaStatus');
      expectProblem(await changeQa(lot.lotId, { qaStatus: 'hold', lotId: 'X' }), 422, 'body');
      await changeQa(lot.lotId, { qaStatus: 'hold' }).expect(200);
      await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, QA_CHANGED]);
    });

    it("answers 401 without a token, 403 to other roles and to another organisation's producer", async () => {
      const lot = await reported();
      expectProblem(await harness.post(`/v1/lots/${lot.lotId}/qa`, undefined, {}), 401);
      expectProblem(await changeQa(lot.lotId, { qaStatus: 'hold' }, AS.ops), 403);
      expectProblem(await changeQa(lot.lotId, { qaStatus: 'hold' }, AS.donorDE), 403);
      const foreign = await changeQa(lot.lotId, { qaStatus: 'hold' }, AS.nammo);
      expect(expectProblem(foreign, 403).code).toBe('outside-scope');
      await changeQa(lot.lotId, { qaStatus: 'hold' }, AS.admin).expect(200);
      await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, QA_CHANGED]);
    });

    it('replays an Idempotency-Key retry of a change without a second event', async () => {
      const lot = await reported();
      const key = { 'Idempotency-Key': `qa-${lot.lotId}` };
      const path = `/v1/lots/${lot.lotId}/qa`;
      await harness.post(path, AS.rheinmetall, { qaStatus: 'hold' }, key).expect(200);
      const retry = await harness.post(path, AS.rheinmetall, { qaStatus: 'hold' }, key);
      expect(retry.status).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      await changeQa(lot.lotId, { qaStatus: 'passed' }).expect(200);
      await expect(harness.typesWithKey(lot.lotId, 3)).resolves.toEqual([
        COMPLETED,
        QA_CHANGED,
        QA_CHANGED,
      ]);
    });
  });

  it('answers GET /v1/lots/:id with 404 for an unknown lot and 400 for a malformed id', async () => {
    expectProblem(await harness.get(`/v1/lots/${uniqueLotId()}`), 404);
    expectProblem(await harness.get('/v1/lots/not%20an%20id'), 400, 'id');
  });
});

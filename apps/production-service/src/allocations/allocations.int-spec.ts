import { LotCompletedV1, PledgeAnnouncedV1, TOPICS } from '@tracker/contracts';
import { aPledge, aPledgeAmendment, aPledgeCancellation, newId } from '@tracker/testing';
import {
  AS,
  aUniqueLot,
  expectProblem,
  ProductionHarness,
  uniqueLotId,
} from '../testing/production-harness';

const COMPLETED = 'tracker.production.lot-completed.v1';
const QA_CHANGED = 'tracker.production.lot-qa-changed.v1';
const ALLOCATED = 'tracker.production.allocated.v1';

describe('POST /v1/allocations', () => {
  let harness: ProductionHarness;

  beforeAll(async () => {
    harness = await ProductionHarness.start('allocations');
  });

  afterAll(async () => {
    await harness?.stop();
  });

  /** A lot reported by Rheinmetall over HTTP. */
  async function aReportedLot(builder = aUniqueLot()): Promise<LotCompletedV1> {
    const lot = builder.build();
    await harness.post('/v1/lots', AS.rheinmetall, lot).expect(201);
    return lot;
  }

  /** A pledge announced on tracker.pledges.v1 and already in the service's view. */
  async function aKnownPledge(builder = aPledge().withQuantity(5_000)): Promise<PledgeAnnouncedV1> {
    const pledge = builder.build();
    await harness.knownPledge(pledge);
    return pledge;
  }

  function allocate(body: Record<string, unknown>, as: string = AS.rheinmetall, headers = {}) {
    return harness.post('/v1/allocations', as, body, headers);
  }

  it('allocates part of a lot: 201, one allocated event keyed by the lot, totals follow', async () => {
    const lot = await aReportedLot();
    const pledge = await aKnownPledge();
    const response = await allocate({
      lotId: lot.lotId,
      pledgeId: pledge.pledgeId,
      quantity: 1_000,
    }).expect(201);
    const allocation = response.body as { allocationId: string };
    expect(allocation).toMatchObject({
      lotId: lot.lotId,
      pledgeId: pledge.pledgeId,
      quantity: 1_000,
    });
    expect(allocation.allocationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, ALLOCATED]);
    const event = harness.watcher.withKey(lot.lotId)[1];
    expect(event.topic).toBe(TOPICS.production);
    expect(event.headers['content-type']).toBe('application/cloudevents+json');
    expect(event.json).toMatchObject({
      source: '/production-service',
      subject: allocation.allocationId,
      partitionkey: lot.lotId,
      data: response.body as object,
    });
    const lotView = await harness.get(`/v1/lots/${lot.lotId}`).expect(200);
    expect(lotView.body).toMatchObject({ allocated: 1_000, unallocated: 1_400 });
    const pledgeView = await harness.get(`/v1/pledges-view/${pledge.pledgeId}`).expect(200);
    expect(pledgeView.body).toMatchObject({
      quantity: 5_000,
      allocated: 1_000,
      unallocated: 4_000,
    });
    const read = await harness.get(`/v1/allocations/${allocation.allocationId}`).expect(200);
    expect(read.body).toEqual(response.body);
  });

  it('takes opaque ids chosen by producers and donors, not only UUIDs and lot numbers', async () => {
    const suffix = uniqueLotId().slice(-6);
    const lot = await aReportedLot(aUniqueLot().withLotId(`rheinmetall:lot.${suffix}`));
    const pledge = await aKnownPledge(aPledge().withPledgeId(`DE:2024:${suffix}`));
    const allocationId = `alloc_${suffix}`;
    await allocate({
      allocationId,
      lotId: lot.lotId,
      pledgeId: pledge.pledgeId,
      quantity: 5,
    }).expect(201);
    await harness.get(`/v1/allocations/${allocationId}`).expect(200);
    await harness.get(`/v1/lots/${encodeURIComponent(lot.lotId)}`).expect(200);
    await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, ALLOCATED]);
  });

  it('answers 409 with Retry-After while the view of pledges lags, and allocates once it caught up', async () => {
    const lot = await aReportedLot();
    const pledge = aPledge().withQuantity(5_000).build();
    const early = await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 100 });
    const problem = expectProblem(early, 409, 'pledgeId');
    expect(problem.code).toBe('view-lagging');
    expect(problem.detail).toMatch(/pledge .* is not known yet/);
    expect(Number(early.headers['retry-after'])).toBeGreaterThan(0);
    await harness.knownPledge(pledge);
    await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 100 }).expect(201);
    await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, ALLOCATED]);
  });

  it('refuses a quantity that is not a positive integer with 422 naming it', async () => {
    const lot = await aReportedLot();
    const pledge = await aKnownPledge();
    for (const quantity of [0, -5, 1.5, '10']) {
      const response = await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity });
      expect(expectProblem(response, 422).errors).toEqual([
        { field: 'quantity', rule: 'must be a positive integer' },
      ]);
    }
    await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 1 }).expect(201);
    await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, ALLOCATED]);
  });

  it("refuses more than the lot's unallocated quantity with 422", async () => {
    const lot = await aReportedLot(aUniqueLot().withQuantity(2_400));
    const pledge = await aKnownPledge();
    await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 2_000 }).expect(201);
    const over = await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 401 });
    const problem = expectProblem(over, 422, 'quantity');
    expect(problem.code).toBe('quantity-exceeds-unallocated');
    expect(problem.detail).toMatch(/400 units/);
    await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 400 }).expect(201);
    await expect(harness.typesWithKey(lot.lotId, 3)).resolves.toEqual([
      COMPLETED,
      ALLOCATED,
      ALLOCATED,
    ]);
  });

  it('refuses a lot on QA hold with 409 until it is released', async () => {
    const lot = await aReportedLot(aUniqueLot().onHold());
    const pledge = await aKnownPledge();
    const held = await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 10 });
    expect(expectProblem(held, 409, 'lotId').code).toBe('lot-on-hold');
    await harness
      .post(`/v1/lots/${lot.lotId}/qa`, AS.rheinmetall, { qaStatus: 'passed' })
      .expect(200);
    await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 10 }).expect(201);
    await expect(harness.typesWithKey(lot.lotId, 3)).resolves.toEqual([
      COMPLETED,
      QA_CHANGED,
      ALLOCATED,
    ]);
  });

  it('refuses a rejected lot with 409', async () => {
    const lot = await aReportedLot(aUniqueLot().withQaStatus('rejected'));
    const pledge = await aKnownPledge();
    const rejected = await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 10 });
    expect(expectProblem(rejected, 409, 'lotId').code).toBe('lot-rejected');
    const marker = await aReportedLot();
    await harness.typesWithKey(marker.lotId, 1);
    await expect(harness.typesWithKey(lot.lotId, 1)).resolves.toEqual([COMPLETED]);
  });

  it("keeps a pledge's allocations across lots within its quantity, as amended", async () => {
    const first = await aReportedLot(aUniqueLot().withQuantity(2_400));
    const second = await aReportedLot(aUniqueLot().withQuantity(2_400));
    const pledge = await aKnownPledge(aPledge().withQuantity(3_000));
    const { pledgeId } = pledge;
    await allocate({ lotId: first.lotId, pledgeId, quantity: 2_400 }).expect(201);
    const over = await allocate({ lotId: second.lotId, pledgeId, quantity: 601 });
    const problem = expectProblem(over, 422, 'quantity');
    expect(problem.code).toBe('quantity-exceeds-pledge');
    expect(problem.detail).toMatch(/600 units/);
    await allocate({ lotId: second.lotId, pledgeId, quantity: 500 }).expect(201);
    await harness.amendPledge(aPledgeAmendment().forPledge(pledge).withQuantity(2_900).build());
    const afterAmendment = await allocate({ lotId: second.lotId, pledgeId, quantity: 1 });
    expect(expectProblem(afterAmendment, 422, 'quantity').code).toBe('quantity-exceeds-pledge');
    await expect(harness.typesWithKey(second.lotId, 2)).resolves.toEqual([COMPLETED, ALLOCATED]);
    const view = await harness.get(`/v1/pledges-view/${pledgeId}`).expect(200);
    expect(view.body).toMatchObject({ quantity: 2_900, allocated: 2_900, unallocated: 0 });
  });

  it('accepts only one of two concurrent allocations from two lots that together overrun a pledge', async () => {
    const [a, b] = [await aReportedLot(), await aReportedLot()];
    const pledge = await aKnownPledge(aPledge().withQuantity(3_000));
    const answers = await Promise.all(
      [a, b].map((lot) =>
        allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 2_000 }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 422]);
    const view = await harness.get(`/v1/pledges-view/${pledge.pledgeId}`).expect(200);
    expect(view.body).toMatchObject({ allocated: 2_000 });
  });

  it('refuses a cancelled pledge with 409', async () => {
    const lot = await aReportedLot();
    const pledge = await aKnownPledge();
    await harness.cancelPledge(aPledgeCancellation().forPledge(pledge).build());
    const cancelled = await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 1 });
    expect(expectProblem(cancelled, 409, 'pledgeId').code).toBe('pledge-cancelled');
    const other = await aKnownPledge();
    await allocate({ lotId: lot.lotId, pledgeId: other.pledgeId, quantity: 1 }).expect(201);
    await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, ALLOCATED]);
  });

  it('refuses a pledge of another item with 422 and an unknown lot with 422', async () => {
    const lot = await aReportedLot();
    const pledge = await aKnownPledge(aPledge().withItem('SAM-IRIS-T').withQuantity(12));
    const mismatch = await allocate({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 1 });
    expect(expectProblem(mismatch, 422, 'pledgeId').code).toBe('item-mismatch');
    const unknown = await allocate({
      lotId: uniqueLotId(),
      pledgeId: pledge.pledgeId,
      quantity: 1,
    });
    expect(expectProblem(unknown, 422, 'lotId').code).toBe('lot-unknown');
    const marker = await aReportedLot();
    await harness.typesWithKey(marker.lotId, 1);
    await expect(harness.typesWithKey(lot.lotId, 1)).resolves.toEqual([COMPLETED]);
  });

  it("answers 401 without a token, 403 to other roles and to another organisation's producer", async () => {
    const lot = await aReportedLot();
    const pledge = await aKnownPledge();
    const body = { lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 5 };
    expectProblem(await harness.post('/v1/allocations', undefined, body), 401);
    expectProblem(await allocate(body, AS.ops), 403);
    expectProblem(await allocate(body, AS.donorDE), 403);
    const foreign = await allocate(body, AS.nammo);
    expect(expectProblem(foreign, 403).detail).toMatch(/producer:nammo.*rheinmetall/);
    await allocate(body, AS.admin).expect(201);
    await expect(harness.typesWithKey(lot.lotId, 2)).resolves.toEqual([COMPLETED, ALLOCATED]);
  });

  it('answers a repeat of the same allocation id and content like the first; other content 409', async () => {
    const lot = await aReportedLot(aUniqueLot().withQuantity(100));
    const pledge = await aKnownPledge();
    const chosen = {
      allocationId: newId(),
      lotId: lot.lotId,
      pledgeId: pledge.pledgeId,
      quantity: 100,
    };
    const first = await allocate(chosen).expect(201);
    const repeat = await allocate(chosen).expect(201);
    expect(repeat.body).toEqual(first.body);
    const other = await allocate({ ...chosen, quantity: 99 });
    expect(expectProblem(other, 409, 'allocationId').code).toBe('allocation-exists');
    await harness
      .post(`/v1/lots/${lot.lotId}/qa`, AS.rheinmetall, { qaStatus: 'hold' })
      .expect(200);
    await expect(harness.typesWithKey(lot.lotId, 3)).resolves.toEqual([
      COMPLETED,
      ALLOCATED,
      QA_CHANGED,
    ]);
  });

  it('replays an Idempotency-Key retry and refuses the key with another body (422)', async () => {
    const lot = await aReportedLot();
    const pledge = await aKnownPledge();
    const body = { lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 10 };
    const key = { 'Idempotency-Key': `allocate-${lot.lotId}` };
    const first = await allocate(body, AS.rheinmetall, key).expect(201);
    const retry = await allocate(body, AS.rheinmetall, key).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    const reused = await allocate({ ...body, quantity: 11 }, AS.rheinmetall, key);
    expect(expectProblem(reused, 422, 'Idempotency-Key').code).toBe('idempotency-key-reused');
    await harness
      .post(`/v1/lots/${lot.lotId}/qa`, AS.rheinmetall, { qaStatus: 'hold' })
      .expect(200);
    await expect(harness.typesWithKey(lot.lotId, 3)).resolves.toEqual([
      COMPLETED,
      ALLOCATED,
      QA_CHANGED,
    ]);
  });
});

import { randomBytes } from 'node:crypto';
import { TOPICS } from '@tracker/contracts';
import { aStockpileLevel } from '@tracker/testing';
import { AS, expectProblem, ProductionHarness } from '../testing/production-harness';

const REPORTED = 'tracker.stockpile.level-reported.v1';

describe('POST /v1/stockpiles', () => {
  let harness: ProductionHarness;

  beforeAll(async () => {
    harness = await ProductionHarness.start('stockpiles');
  });

  afterAll(async () => {
    await harness?.stop();
  });

  /** A German report of an item no other test uses, so its key `DE:<item>` is the test's own. */
  function aReport() {
    return aStockpileLevel()
      .ofNation('DE')
      .withItem(`TEST-${randomBytes(4).toString('hex').toUpperCase()}`);
  }

  it('records a report: 201, one event keyed <nation>:<itemCode> on the stockpiles topic', async () => {
    const { at: _now, ...report } = aReport().build();
    const key = `DE:${report.itemCode}`;
    const response = await harness.post('/v1/stockpiles', AS.admin, report).expect(201);
    expect(response.body).toMatchObject(report);
    const [event] = await harness.watcher.waitFor('the report', (m) => m.key === key);
    expect(event.topic).toBe(TOPICS.stockpiles);
    expect(event.headers['content-type']).toBe('application/cloudevents+json');
    expect(event.json).toMatchObject({
      type: REPORTED,
      source: '/production-service',
      subject: key,
      partitionkey: key,
      data: response.body as object,
    });
    const latest = await harness.get(`/v1/stockpiles/DE/${report.itemCode}`).expect(200);
    expect(latest.body).toMatchObject({ ...report, nation: 'DE' });
  });

  it("lets a donor report its own nation's stockpile and refuses another nation's with 403", async () => {
    const report = aReport().build();
    const foreign = await harness.post('/v1/stockpiles', AS.donorPL, report);
    expect(expectProblem(foreign, 403).detail).toMatch(/donor:PL.*DE/);
    await harness.post('/v1/stockpiles', AS.donorDE, report).expect(201);
    await expect(harness.typesWithKey(`DE:${report.itemCode}`, 1)).resolves.toEqual([REPORTED]);
  });

  it('answers 401 without a token and 403 to roles other than admin and donor', async () => {
    const report = aReport().build();
    expectProblem(await harness.post('/v1/stockpiles', undefined, report), 401);
    expectProblem(await harness.post('/v1/stockpiles', AS.ops, report), 403);
    expectProblem(await harness.post('/v1/stockpiles', AS.rheinmetall, report), 403);
    await harness.post('/v1/stockpiles', AS.admin, report).expect(201);
    await expect(harness.typesWithKey(`DE:${report.itemCode}`, 1)).resolves.toEqual([REPORTED]);
  });

  it('refuses a body that breaks the contract with 422 naming each field', async () => {
    const report = aReport().build();
    const response = await harness.post('/v1/stockpiles', AS.admin, {
      ...report,
      quantity: -1,
      at: 'yesterday',
    });
    expect(
      expectProblem(response, 422)
        .errors?.map((error) => error.field)
        .sort(),
    ).toEqual(['at', 'quantity']);
    const lowerCase = { ...report, itemCode: report.itemCode.toLowerCase() };
    expectProblem(await harness.post('/v1/stockpiles', AS.admin, lowerCase), 422, 'itemCode');
    await harness.post('/v1/stockpiles', AS.admin, report).expect(201);
    await expect(harness.typesWithKey(`DE:${report.itemCode}`, 1)).resolves.toEqual([REPORTED]);
  });

  it("publishes one stockpile's reports in the order they were written, late ones too", async () => {
    const base = aReport();
    const itemCode = base.build().itemCode;
    const levels = [
      { quantity: 20_000, at: '2024-02-15T10:00:00Z' },
      { quantity: 21_000, at: '2024-03-15T10:00:00Z' },
      { quantity: 19_500, at: '2024-01-15T10:00:00Z' },
      { quantity: 23_000, at: '2024-04-15T10:00:00Z' },
    ];
    for (const level of levels) {
      const report = base.withQuantity(level.quantity).at(level.at).build();
      await harness.post('/v1/stockpiles', AS.donorDE, report).expect(201);
    }
    await harness.typesWithKey(`DE:${itemCode}`, levels.length);
    const published = harness.watcher
      .withKey(`DE:${itemCode}`)
      .map((message) => (message.json?.data as { quantity: number }).quantity);
    expect(published).toEqual(levels.map((level) => level.quantity));
    const latest = await harness.get(`/v1/stockpiles/DE/${itemCode}`).expect(200);
    expect(latest.body).toMatchObject({ quantity: 23_000, at: '2024-04-15T10:00:00.000Z' });
  });

  it('keeps the latest level by `at` when a late report arrives', async () => {
    const base = aReport();
    const itemCode = base.build().itemCode;
    await harness
      .post('/v1/stockpiles', AS.admin, base.withQuantity(5).at('2024-05-01T00:00:00Z').build())
      .expect(201);
    await harness
      .post('/v1/stockpiles', AS.admin, base.withQuantity(9).at('2024-04-01T00:00:00Z').build())
      .expect(201);
    const latest = await harness.get(`/v1/stockpiles/DE/${itemCode}`).expect(200);
    expect(latest.body).toMatchObject({ quantity: 5 });
    await expect(harness.typesWithKey(`DE:${itemCode}`, 2)).resolves.toEqual([REPORTED, REPORTED]);
  });

  it('replays an Idempotency-Key retry and refuses the key with another body (422)', async () => {
    const report = aReport().build();
    const key = { 'Idempotency-Key': `stockpile-${report.itemCode}` };
    const first = await harness.post('/v1/stockpiles', AS.donorDE, report, key).expect(201);
    const retry = await harness.post('/v1/stockpiles', AS.donorDE, report, key).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    const reused = await harness.post(
      '/v1/stockpiles',
      AS.donorDE,
      { ...report, quantity: 1 },
      key,
    );
    expect(expectProblem(reused, 422, 'Idempotency-Key').code).toBe('idempotency-key-reused');
    await harness.post('/v1/stockpiles', AS.donorDE, { ...report, quantity: 2 }).expect(201);
    await expect(harness.typesWithKey(`DE:${report.itemCode}`, 2)).resolves.toEqual([
      REPORTED,
      REPORTED,
    ]);
  });

  it('answers 404 for a stockpile never reported and 400 for a malformed nation', async () => {
    expectProblem(await harness.get(`/v1/stockpiles/DE/${aReport().build().itemCode}`), 404);
    expectProblem(await harness.get('/v1/stockpiles/UK/AMMO-155MM'), 400, 'nation');
  });
});

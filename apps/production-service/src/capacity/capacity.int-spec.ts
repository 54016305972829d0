import { TOPICS } from '@tracker/contracts';
import { aCapacityDeclaration } from '@tracker/testing';
import { AS, expectProblem, ProductionHarness } from '../testing/production-harness';

const DECLARED = 'tracker.production.capacity-declared.v1';

describe('POST /v1/capacity', () => {
  let harness: ProductionHarness;

  beforeAll(async () => {
    harness = await ProductionHarness.start('capacity');
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('declares capacity with a generated UUID v7 id: 201, one event keyed by that id', async () => {
    const { capacityId: _omitted, ...declaration } = aCapacityDeclaration().build();
    const response = await harness.post('/v1/capacity', AS.admin, declaration).expect(201);
    const body = response.body as { capacityId: string };
    const { capacityId, ...rest } = body;
    expect(rest).toEqual(declaration);
    expect(capacityId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    const [event] = await harness.watcher.waitFor('the declared event', (m) => {
      return m.key === body.capacityId;
    });
    expect(event.topic).toBe(TOPICS.production);
    expect(event.headers['content-type']).toBe('application/cloudevents+json');
    expect(event.json).toMatchObject({
      type: DECLARED,
      source: '/production-service',
      subject: body.capacityId,
      partitionkey: body.capacityId,
      data: { ...declaration, capacityId: body.capacityId },
    });
  });

  it("lets a producer declare its own organisation's capacity", async () => {
    const declaration = aCapacityDeclaration().build();
    await harness.post('/v1/capacity', AS.rheinmetall, declaration).expect(201);
    await expect(harness.typesWithKey(declaration.capacityId, 1)).resolves.toEqual([DECLARED]);
  });

  it("refuses another organisation's capacity with 403 and publishes nothing", async () => {
    const declaration = aCapacityDeclaration().build();
    const response = await harness.post('/v1/capacity', AS.nammo, declaration);
    expect(expectProblem(response, 403).detail).toMatch(/producer:nammo.*rheinmetall/);
    // The marker: the rightful producer declares the same id; it must be the only event.
    await harness.post('/v1/capacity', AS.rheinmetall, declaration).expect(201);
    await expect(harness.typesWithKey(declaration.capacityId, 1)).resolves.toEqual([DECLARED]);
  });

  it('answers 401 without a token and 403 to roles other than admin and producer', async () => {
    const declaration = aCapacityDeclaration().build();
    expectProblem(await harness.post('/v1/capacity', undefined, declaration), 401);
    expectProblem(await harness.post('/v1/capacity', AS.ops, declaration), 403);
    expectProblem(await harness.post('/v1/capacity', AS.donorDE, declaration), 403);
    await harness.post('/v1/capacity', AS.admin, declaration).expect(201);
    await expect(harness.typesWithKey(declaration.capacityId, 1)).resolves.toEqual([DECLARED]);
  });

  it('refuses a body that breaks the contract with 422 naming each field', async () => {
    const declaration = aCapacityDeclaration().build();
    const response = await harness.post('/v1/capacity', AS.admin, {
      ...declaration,
      unitsPerMonth: -1,
      basis: 'rumour',
      extra: true,
    });
    const problem = expectProblem(response, 422);
    expect(problem.errors?.map((error) => error.field).sort()).toEqual([
      'basis',
      'body',
      'unitsPerMonth',
    ]);
    await harness.post('/v1/capacity', AS.admin, declaration).expect(201);
    await expect(harness.typesWithKey(declaration.capacityId, 1)).resolves.toEqual([DECLARED]);
  });

  it('answers a repeat of the same id and content like the first, publishing nothing more', async () => {
    const declaration = aCapacityDeclaration().build();
    const first = await harness.post('/v1/capacity', AS.rheinmetall, declaration).expect(201);
    const repeat = await harness.post('/v1/capacity', AS.rheinmetall, declaration).expect(201);
    expect(repeat.body).toEqual(first.body);
    const other = await harness.post('/v1/capacity', AS.rheinmetall, {
      ...declaration,
      unitsPerMonth: declaration.unitsPerMonth + 1,
    });
    expect(expectProblem(other, 409, 'capacityId').code).toBe('capacity-exists');
    await expectOnlyOneAfterMarker(declaration.capacityId);
  });

  it('replays an Idempotency-Key retry and refuses the key with another body (422)', async () => {
    const declaration = aCapacityDeclaration().build();
    const key = { 'Idempotency-Key': `capacity-${declaration.capacityId}` };
    const first = await harness.post('/v1/capacity', AS.admin, declaration, key).expect(201);
    const retry = await harness.post('/v1/capacity', AS.admin, declaration, key).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    const reused = await harness.post(
      '/v1/capacity',
      AS.admin,
      { ...declaration, facility: 'Somewhere else' },
      key,
    );
    expect(expectProblem(reused, 422, 'Idempotency-Key').code).toBe('idempotency-key-reused');
    await expectOnlyOneAfterMarker(declaration.capacityId);
  });

  it('reads a declaration back, and answers 404 for an unknown one', async () => {
    const declaration = aCapacityDeclaration().build();
    await harness.post('/v1/capacity', AS.admin, declaration).expect(201);
    await expect(
      harness.get(`/v1/capacity/${declaration.capacityId}`).then((r) => r.body as unknown),
    ).resolves.toEqual(declaration);
    expectProblem(
      await harness.get(`/v1/capacity/${aCapacityDeclaration().build().capacityId}`),
      404,
    );
  });

  /**
   * A declaration's id cannot be written again, so the marker is another declaration: once its
   * event is in, anything the repeats had published (earlier in the outbox) would be too.
   */
  async function expectOnlyOneAfterMarker(capacityId: string): Promise<void> {
    const marker = aCapacityDeclaration().build();
    await harness.post('/v1/capacity', AS.admin, marker).expect(201);
    await harness.typesWithKey(marker.capacityId, 1);
    await expect(harness.typesWithKey(capacityId, 1)).resolves.toEqual([DECLARED]);
  }
});

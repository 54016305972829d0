import { MAX_QUANTITY } from '@tracker/contracts';
import { aCapacityDeclaration, aStockpileLevel } from '@tracker/testing';
import { AS, aUniqueLot, expectProblem, ProductionHarness } from './testing/production-harness';

const AT_MOST = 'must be at most 1000000000';
const FUTURE = 'must not be more than 5 minutes in the future';

/** production-service's write routes at and past the quantity bound, and from the future. */
describe('production-service bounds', () => {
  let harness: ProductionHarness;

  beforeAll(async () => {
    harness = await ProductionHarness.start('production-bounds');
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('answers a lot of 3,000,000,000 rounds 422 naming quantity, and takes one of exactly the bound', async () => {
    const tooBig = aUniqueLot().withQuantity(3_000_000_000).build();
    const refused = expectProblem(
      await harness.post('/v1/lots', AS.rheinmetall, tooBig),
      422,
      'quantity',
    );
    expect(refused.errors).toEqual([{ field: 'quantity', rule: AT_MOST }]);
    const lot = aUniqueLot().withQuantity(MAX_QUANTITY).build();
    const created = await harness.post('/v1/lots', AS.rheinmetall, lot).expect(201);
    expect(created.body).toMatchObject({ quantity: MAX_QUANTITY });
    const [row] = await harness.database.query<{ quantity: string }>(
      'select quantity::text as quantity from lots where lot_id = $1',
      [lot.lotId],
    );
    expect(row.quantity).toBe('1000000000');
  });

  it('answers a capacity and a stockpile level past the bound 422 naming the field', async () => {
    const capacity = aCapacityDeclaration()
      .withUnitsPerMonth(MAX_QUANTITY + 1)
      .build();
    const body = expectProblem(await harness.post('/v1/capacity', AS.admin, capacity), 422);
    expect(body.errors).toEqual([{ field: 'unitsPerMonth', rule: AT_MOST }]);
    const level = { ...aStockpileLevel().build(), minimumRequired: 5_000_000_000 };
    const refused = expectProblem(await harness.post('/v1/stockpiles', AS.admin, level), 422);
    expect(refused.errors).toEqual([{ field: 'minimumRequired', rule: AT_MOST }]);
  });

  it('answers a lot completed and a stockpile level reported in the year 9999 with 422', async () => {
    const lot = aUniqueLot().completedAt('9999-12-31T23:59:59Z').build();
    const body = expectProblem(await harness.post('/v1/lots', AS.rheinmetall, lot), 422);
    expect(body.errors).toEqual([{ field: 'completedAt', rule: FUTURE }]);
    const level = aStockpileLevel().at('9999-12-31T23:59:59Z').build();
    const refused = expectProblem(await harness.post('/v1/stockpiles', AS.admin, level), 422);
    expect(refused.errors).toEqual([{ field: 'at', rule: FUTURE }]);
  });
});

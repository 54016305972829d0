// GET /v1/allocations?pledgeId=: a pledge's allocations, each to whoever may see it (libs/access),
// with the lot's facility and QA status to its producer only (a commercial fact).
import { aPledge, TEST_TOKENS } from '@tracker/testing';
import { AS, aUniqueLot, expectProblem, ProductionHarness } from '../testing/production-harness';

interface Listed {
  readonly items: {
    allocationId: string;
    lotId: string;
    quantity: number;
    producer: string | null;
    allocatedAt: string;
    lot: { facility: string; qaStatus: string } | null;
  }[];
}

describe('GET /v1/allocations?pledgeId=', () => {
  let harness: ProductionHarness;
  const pledge = aPledge().withDonor('DE').withRecipient('UA').withQuantity(5_000).build();
  const rheinmetallLot = aUniqueLot().withQuantity(3_000).build();
  const nammoLot = aUniqueLot().byManufacturer('nammo', 'Raufoss').withQuantity(2_000).build();

  beforeAll(async () => {
    harness = await ProductionHarness.start('allocations_of_pledge');
    await harness.knownPledge(pledge);
    await harness.post('/v1/lots', AS.rheinmetall, rheinmetallLot).expect(201);
    await harness.post('/v1/lots', AS.nammo, nammoLot).expect(201);
    for (const [lot, as, quantity] of [
      [rheinmetallLot, AS.rheinmetall, 1_000],
      [nammoLot, AS.nammo, 500],
      [rheinmetallLot, AS.rheinmetall, 700],
    ] as const) {
      await harness
        .post('/v1/allocations', as, { lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity })
        .expect(201);
    }
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const list = async (as: string, pledgeId = pledge.pledgeId): Promise<Listed> => {
    const response = await harness.get(`/v1/allocations?pledgeId=${pledgeId}`, as).expect(200);
    return response.body as Listed;
  };

  it('lists every allocation, oldest first, with lots, to admin and ops', async () => {
    for (const as of [AS.admin, AS.ops]) {
      const { items } = await list(as);
      expect(items.map((item) => [item.lotId, item.quantity, item.producer])).toEqual([
        [rheinmetallLot.lotId, 1_000, 'rheinmetall'],
        [nammoLot.lotId, 500, 'nammo'],
        [rheinmetallLot.lotId, 700, 'rheinmetall'],
      ]);
      expect(items[1].lot).toMatchObject({ facility: 'Raufoss', qaStatus: 'passed' });
      expect(Date.parse(items[0].allocatedAt)).toBeLessThanOrEqual(
        Date.parse(items[2].allocatedAt),
      );
    }
  });

  it("gives the pledge's donor and recipient every allocation, without the lots", async () => {
    for (const as of [AS.donorDE, `Bearer ${TEST_TOKENS.recipientUA}`]) {
      const { items } = await list(as);
      expect(items.map((item) => item.quantity)).toEqual([1_000, 500, 700]);
      expect(items.map((item) => item.lot)).toEqual([null, null, null]);
    }
  });

  it('gives a producer its own allocations only, with its lots', async () => {
    const { items } = await list(AS.nammo);
    expect(items.map((item) => [item.lotId, item.quantity])).toEqual([[nammoLot.lotId, 500]]);
    expect(items[0].lot).toMatchObject({ facility: 'Raufoss' });
  });

  it('gives another donor an empty list, as for a pledge without allocations', async () => {
    expect(await list(AS.donorPL)).toEqual({ items: [] });
    expect(await list(AS.admin, 'P-NEVER-ANNOUNCED')).toEqual({ items: [] });
  });

  it('refuses a request without a pledge id, or with unknown parameters, naming them', async () => {
    expectProblem(await harness.get('/v1/allocations', AS.admin), 400, 'query.pledgeId');
    expectProblem(
      await harness.get(`/v1/allocations?pledgeId=${pledge.pledgeId}&lotId=x`, AS.admin),
      400,
    );
    await harness.get(`/v1/allocations?pledgeId=${pledge.pledgeId}`, '').expect(401);
  });
});

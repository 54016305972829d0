// Who sees what, on each write service's own port (README, "Who sees what"): every read route
// against every role, over facts each party wrote itself. A caller that may not see an entity
// gets 404 with the very body of an entity that does not exist; no token is 401.
import {
  aCapacityDeclaration,
  aLot,
  anAllocation,
  aPledge,
  aShipment,
  aStockpileLevel,
  newId,
  TEST_TOKENS,
  waitFor,
} from '@tracker/testing';
import request, { Response } from 'supertest';
import { startWriteStack, WriteStack } from './write-stack';

type Party = keyof typeof TEST_TOKENS;
type Service = 'pledge-service' | 'production-service' | 'shipment-service';

const PARTIES = Object.keys(TEST_TOKENS) as Party[];

/**
 * One read route: the entity's id and one that does not exist, who sees the entity, and what
 * each of them is answered.
 */
interface ReadRoute {
  readonly route: string;
  readonly service: Service;
  readonly path: (id: string) => string;
  readonly id: () => string;
  readonly missingId: string;
  readonly sees: readonly Party[];
  readonly expectBody: (party: Party, body: unknown) => void;
}

const EVERYONE = PARTIES;
const ADMIN_OPS: Party[] = ['admin', 'ops'];

describe('who sees what on the services: every read route × every role', () => {
  let stack: WriteStack;

  const reference = 'BAAINBw-2023-0042';
  const pledge = aPledge().withDonor('DE').withQuantity(10_000).withReference(reference).build();
  const otherPledge = aPledge().withDonor('PL').withQuantity(500).build();
  const lot = aLot().withLotId(`RHM-${newId()}`).withQuantity(4000).build();
  const capacity = aCapacityDeclaration().build();
  const allocation = anAllocation().fromLot(lot).forPledge(pledge).withQuantity(3000).build();
  const shipment = aShipment().forPledge(pledge).withLots(lot).withQuantity(2000).build();
  const fromStocks = aShipment().forPledge(pledge).withoutLots().withQuantity(10).build();
  const germanStock = aStockpileLevel().ofNation('DE').build();
  const ukrainianStock = aStockpileLevel().ofNation('UA').withQuantity(5_000).build();

  const read = (service: Service, path: string, party?: Party) => {
    const call = request(stack.services[service].url).get(path);
    return party === undefined ? call : call.set('Authorization', `Bearer ${TEST_TOKENS[party]}`);
  };

  const write = (party: Party, path: string, body: object) =>
    request(stack.gateway.url)
      .post(path)
      .set('Authorization', `Bearer ${TEST_TOKENS[party]}`)
      .send(body);

  /** Writes until the owning service's views of the other services' facts have caught up. */
  async function settle(party: Party, path: string, body: object) {
    await waitFor(`${party} POST ${path} → 201`, async () => {
      const response = await write(party, path, body);
      if (response.status === 201) return true;
      // 409 + Retry-After: a view lags; 403 "no lots allocated": the allocation has not arrived.
      expect([409, 403]).toContain(response.status);
      return false;
    });
  }

  beforeAll(async () => {
    stack = await startWriteStack('read_trust');
    await write('donorDE', '/v1/pledges', pledge).expect(201);
    await write('donorPL', '/v1/pledges', otherPledge).expect(201);
    await write('producerRheinmetall', '/v1/lots', lot).expect(201);
    await write('producerRheinmetall', '/v1/capacity', capacity).expect(201);
    await write('donorDE', '/v1/stockpiles', germanStock).expect(201);
    await write('recipientUA', '/v1/stockpiles', ukrainianStock).expect(201);
    await settle('producerRheinmetall', '/v1/allocations', allocation);
    await settle('producerRheinmetall', '/v1/shipments', shipment);
    await settle('donorDE', '/v1/shipments', fromStocks);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const pledgeParties: Party[] = ['admin', 'ops', 'donorDE', 'recipientUA'];
  const { reference: _private, ...announced } = pledge;
  const pledgeRecord = {
    pledgeId: pledge.pledgeId,
    donor: 'DE',
    recipient: 'UA',
    itemCode: pledge.itemCode,
    quantity: 10_000,
    targetDate: pledge.targetDate,
    status: 'active',
  };
  /** The announcement as `party` reads it: with its reference for the pledge's parties only. */
  const announcementFor = (party: Party) =>
    pledgeParties.includes(party) ? { ...announced, reference } : announced;
  const allocationsSeenBy: Party[] = [...pledgeParties, 'producerRheinmetall'];

  const routes: ReadRoute[] = [
    {
      route: 'GET /v1/pledges/:id (public)',
      service: 'pledge-service',
      path: (id) => `/v1/pledges/${id}`,
      id: () => pledge.pledgeId,
      missingId: newId(),
      sees: EVERYONE,
      expectBody: (party, body) =>
        expect(body).toEqual({
          ...pledgeRecord,
          accepted: 0,
          announcement: announcementFor(party),
        }),
    },
    {
      route: 'GET /v1/pledges?donor= (public, any donor)',
      service: 'pledge-service',
      path: (donor) => `/v1/pledges?donor=${donor}`,
      id: () => 'DE',
      missingId: 'FR',
      sees: EVERYONE,
      expectBody: (party, body) =>
        expect(body).toEqual({
          items: [{ ...pledgeRecord, announcement: announcementFor(party) }],
        }),
    },
    {
      route: 'GET /v1/lots/:id (commercial)',
      service: 'production-service',
      path: (id) => `/v1/lots/${id}`,
      id: () => lot.lotId,
      missingId: `RHM-${newId()}`,
      sees: [...ADMIN_OPS, 'producerRheinmetall'],
      expectBody: (_party, body) =>
        expect(body).toEqual({
          lotId: lot.lotId,
          manufacturer: 'rheinmetall',
          facility: lot.facility,
          itemCode: lot.itemCode,
          quantity: 4000,
          completedAt: new Date(lot.completedAt).toISOString(),
          qaStatus: lot.qaStatus,
          allocated: 3000,
          unallocated: 1000,
        }),
    },
    {
      route: 'GET /v1/capacity/:id (commercial)',
      service: 'production-service',
      path: (id) => `/v1/capacity/${id}`,
      id: () => capacity.capacityId,
      missingId: newId(),
      sees: [...ADMIN_OPS, 'producerRheinmetall'],
      expectBody: (_party, body) => expect(body).toEqual(capacity),
    },
    {
      route: "GET /v1/stockpiles/:nation/:itemCode (national, Germany's)",
      service: 'production-service',
      path: (nation) => `/v1/stockpiles/${nation}/${germanStock.itemCode}`,
      id: () => 'DE',
      missingId: 'FR',
      sees: [...ADMIN_OPS, 'donorDE'],
      expectBody: (_party, body) =>
        expect(body).toEqual({ ...germanStock, at: new Date(germanStock.at).toISOString() }),
    },
    {
      route: "GET /v1/stockpiles/:nation/:itemCode (national, Ukraine's)",
      service: 'production-service',
      path: (nation) => `/v1/stockpiles/${nation}/${ukrainianStock.itemCode}`,
      id: () => 'UA',
      missingId: 'FR',
      sees: [...ADMIN_OPS, 'recipientUA'],
      expectBody: (_party, body) =>
        expect(body).toEqual({ ...ukrainianStock, at: new Date(ukrainianStock.at).toISOString() }),
    },
    {
      route: 'GET /v1/allocations/:id (operational)',
      service: 'production-service',
      path: (id) => `/v1/allocations/${id}`,
      id: () => allocation.allocationId,
      missingId: newId(),
      sees: allocationsSeenBy,
      expectBody: (_party, body) => expect(body).toEqual(allocation),
    },
    {
      route: 'GET /v1/pledges-view/:id (public; allocated operational)',
      service: 'production-service',
      path: (id) => `/v1/pledges-view/${id}`,
      id: () => pledge.pledgeId,
      missingId: newId(),
      sees: EVERYONE,
      expectBody: (party, body) => {
        const { targetDate: _date, ...view } = pledgeRecord;
        expect(body).toEqual(
          allocationsSeenBy.includes(party)
            ? { ...view, allocated: 3000, unallocated: 7000 }
            : view,
        );
      },
    },
    {
      route: "GET /v1/shipments/:id (operational, a producer's)",
      service: 'shipment-service',
      path: (id) => `/v1/shipments/${id}`,
      id: () => shipment.shipmentId,
      missingId: newId(),
      sees: [...pledgeParties, 'producerRheinmetall'],
      expectBody: (_party, body) =>
        expect(body).toMatchObject({
          shipmentId: shipment.shipmentId,
          pledgeId: pledge.pledgeId,
          producer: 'rheinmetall',
          quantity: 2000,
          status: 'in-transit',
        }),
    },
    {
      route: "GET /v1/shipments/:id (operational, a donor's from its stocks)",
      service: 'shipment-service',
      path: (id) => `/v1/shipments/${id}`,
      id: () => fromStocks.shipmentId,
      missingId: newId(),
      sees: pledgeParties,
      expectBody: (_party, body) =>
        expect(body).toMatchObject({
          shipmentId: fromStocks.shipmentId,
          producer: null,
          quantity: 10,
        }),
    },
  ];

  /** A problem body with the entity's id masked and the request id left out. */
  const masked = (response: Response, id: string): unknown =>
    JSON.parse(
      JSON.stringify({ ...(response.body as object), requestId: undefined }).replaceAll(id, '<id>'),
    );

  const cases = routes.flatMap((route) =>
    PARTIES.map((party) => ({ ...route, party, status: route.sees.includes(party) ? 200 : 404 })),
  );

  it.each(cases)('$route: $party → $status', async (route) => {
    const response = await read(route.service, route.path(route.id()), route.party);
    expect(response.status).toBe(route.status);
    if (route.status === 200) {
      route.expectBody(route.party, response.body);
      return;
    }
    const missing = await read(route.service, route.path(route.missingId), route.party);
    expect(missing.status).toBe(404);
    expect(response.headers['content-type']).toBe(missing.headers['content-type']);
    expect(masked(response, route.id())).toEqual(masked(missing, route.missingId));
  });

  it.each(routes)('$route: no token → 401', async (route) => {
    const response = await read(route.service, route.path(route.id()));
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'unauthenticated' });
  });
});

// Seeded property: random shipment writes by random parties leave every figure equal to a fold
// of only the writes each party was entitled to make (DESIGN.md §4a). The model below states
// the rules once more, independently of shipment-service's code.
import { PledgeAnnouncedV1, TOPICS } from '@tracker/contracts';
import {
  aLot,
  anAllocation,
  aPledge,
  newId,
  TEST_TOKENS,
  TopicWatcher,
  waitFor,
} from '@tracker/testing';
import fc from 'fast-check';
import request from 'supertest';
import { startWriteStack, WriteStack } from './write-stack';

type Party =
  'producerRheinmetall' | 'producerNammo' | 'donorDE' | 'donorPL' | 'recipientUA' | 'ops';
const PARTIES: Party[] = [
  'producerRheinmetall',
  'producerNammo',
  'donorDE',
  'donorPL',
  'recipientUA',
  'ops',
];
const ORG: Partial<Record<Party, string>> = {
  producerRheinmetall: 'rheinmetall',
  producerNammo: 'nammo',
};
const COUNTRY: Partial<Record<Party, string>> = { donorDE: 'DE', donorPL: 'PL' };

type Command =
  | { kind: 'dispatch'; party: Party; pledge: number; lot: number | null; quantity: number }
  | { kind: 'milestone'; party: Party; shipment: number }
  | { kind: 'loss'; party: Party; shipment: number; quantity: number }
  | { kind: 'delivery'; party: Party; shipment: number; acceptedShare: number };

interface ModelShipment {
  readonly id: string;
  readonly pledge: number;
  readonly producer: string | null;
  readonly donor: string;
  readonly quantity: number;
  lost: number;
  status: 'in-transit' | 'lost' | 'delivered';
}

interface Figures {
  shipped: number;
  lost: number;
  received: number;
  accepted: number;
}

/** The world of one run: two pledges, three allocated lots. */
interface World {
  readonly pledges: PledgeAnnouncedV1[];
  /** [org, pledge index, lot id, quantity] */
  readonly lots: [string, number, string, number][];
}

/** Applies one command to the model: the status the tracker must answer, and what changes. */
function expected(world: World, shipments: ModelShipment[], command: Command, id: string): number {
  const org = ORG[command.party];
  const country = COUNTRY[command.party];
  if (command.kind === 'dispatch') {
    const pledge = world.pledges[command.pledge];
    const lot = command.lot === null ? undefined : world.lots[command.lot];
    if (org !== undefined) {
      const own = world.lots.filter(([o, p]) => o === org && p === command.pledge);
      const allocated = own.reduce((sum, [, , , quantity]) => sum + quantity, 0);
      if (allocated === 0) return 403;
      if (lot !== undefined && !own.includes(lot)) return 403;
      const shipped = shipments
        .filter((s) => s.producer === org && s.pledge === command.pledge)
        .reduce((sum, s) => sum + s.quantity, 0);
      if (command.quantity > allocated - shipped) return 409;
    } else if (country !== undefined) {
      if (pledge.donor !== country || lot !== undefined) return 403;
      const onItsWay = shipments
        .filter((s) => s.pledge === command.pledge)
        .reduce((sum, s) => sum + s.quantity - s.lost, 0);
      if (command.quantity > pledge.quantity - onItsWay) return 409;
    } else {
      return 403;
    }
    shipments.push({
      id,
      pledge: command.pledge,
      producer: org ?? null,
      donor: pledge.donor,
      quantity: command.quantity,
      lost: 0,
      status: 'in-transit',
    });
    return 201;
  }
  const shipment = shipments[command.shipment % shipments.length];
  if (command.kind === 'delivery') {
    if (command.party !== 'recipientUA') return 403;
    if (shipment.status === 'delivered') return 409;
    shipment.status = 'delivered';
    return 200;
  }
  const sender =
    org !== undefined
      ? shipment.producer === org
      : shipment.producer === null && shipment.donor === country;
  if (!sender) return 403;
  if (command.kind === 'milestone') return shipment.status === 'in-transit' ? 201 : 409;
  if (shipment.status === 'delivered') return 409;
  if (command.quantity > shipment.quantity - shipment.lost) return 422;
  shipment.lost += command.quantity;
  shipment.status = 'lost';
  return 200;
}

/** A dispatch by a party that has something to ship against the pledge (it may ask too much). */
const rightfulDispatch: fc.Arbitrary<Command> = fc
  .record({
    who: fc.constantFrom(
      ['producerRheinmetall', 0, 0],
      ['producerNammo', 0, 1],
      ['producerNammo', 1, 2],
      ['donorDE', 0, null],
      ['donorPL', 1, null],
    ),
    citesLot: fc.boolean(),
    quantity: fc.integer({ min: 1, max: 1200 }),
  })
  .map(({ who: [party, pledge, lot], citesLot, quantity }) => ({
    kind: 'dispatch' as const,
    party: party,
    pledge: pledge,
    lot: citesLot ? (lot as number | null) : null,
    quantity,
  }));

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: rightfulDispatch },
  fc.record({
    kind: fc.constant('dispatch' as const),
    party: fc.constantFrom(...PARTIES),
    pledge: fc.integer({ min: 0, max: 1 }),
    lot: fc.option(fc.integer({ min: 0, max: 2 })),
    quantity: fc.integer({ min: 1, max: 1200 }),
  }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('milestone' as const),
      party: fc.constantFrom(...PARTIES),
      shipment: fc.nat(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('loss' as const),
      party: fc.constantFrom(...PARTIES),
      shipment: fc.nat(),
      quantity: fc.integer({ min: 1, max: 600 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('delivery' as const),
      party: fc.constantFrom(...PARTIES),
      shipment: fc.nat(),
      acceptedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
);

describe('random writes by random parties', () => {
  let stack: WriteStack;
  let watcher: TopicWatcher;

  const send = (party: Party | 'admin', path: string, body: object) =>
    request(stack.gateway.url)
      .post(path)
      .set('Authorization', `Bearer ${TEST_TOKENS[party]}`)
      .send(body);

  beforeAll(async () => {
    stack = await startWriteStack('partyprop');
    watcher = await TopicWatcher.start([stack.topic(TOPICS.shipments)]);
  });

  afterAll(async () => {
    await watcher?.stop();
    await stack?.stop();
  });

  /** Two pledges (DE's, PL's) and lots of Rheinmetall and Nammo allocated to them. */
  async function aWorld(): Promise<World> {
    const pledges = [
      aPledge().withDonor('DE').withQuantity(5000).build(),
      aPledge().withDonor('PL').withQuantity(3000).build(),
    ];
    const lots: World['lots'] = [
      ['rheinmetall', 0, `RHM-${newId()}`, 2000],
      ['nammo', 0, `NAM-${newId()}`, 1000],
      ['nammo', 1, `NAM-${newId()}`, 1500],
    ];
    for (const pledge of pledges) {
      await send(pledge.donor === 'DE' ? 'donorDE' : 'donorPL', '/v1/pledges', pledge).expect(201);
    }
    for (const [org, pledge, lotId, quantity] of lots) {
      const party = org === 'nammo' ? 'producerNammo' : 'producerRheinmetall';
      const lot = aLot()
        .withLotId(lotId)
        .byManufacturer(org, 'Works')
        .withQuantity(quantity)
        .build();
      await send(party, '/v1/lots', lot).expect(201);
      const allocation = anAllocation()
        .fromLot(lotId)
        .forPledge(pledges[pledge])
        .withQuantity(quantity)
        .build();
      await waitFor(
        `allocation of ${lotId}`,
        async () => (await send(party, '/v1/allocations', allocation)).status === 201,
      );
    }
    const ids = pledges.map((pledge) => pledge.pledgeId);
    await waitFor('shipment-service to know the pledges and allocations', async () => {
      const known = await stack.databases['shipment-service'].query<{ n: string }>(
        `select (select count(*) from pledges_view where pledge_id = any($1))
              + (select count(*) from allocations_view where pledge_id = any($1)) as n`,
        [ids],
      );
      return Number(known[0].n) === 5;
    });
    return { pledges, lots };
  }

  function body(
    world: World,
    shipments: ModelShipment[],
    c: Command,
    id: string,
  ): [string, object] {
    if (c.kind === 'dispatch') {
      const pledge = world.pledges[c.pledge];
      const lotIds = c.lot === null ? undefined : [world.lots[c.lot][2]];
      const dispatch = {
        shipmentId: id,
        pledgeId: pledge.pledgeId,
        itemCode: pledge.itemCode,
        quantity: c.quantity,
        origin: 'Depot',
        destination: 'Hub',
        lotIds,
      };
      return ['/v1/shipments', dispatch];
    }
    const shipment = shipments[c.shipment % shipments.length];
    const path = `/v1/shipments/${shipment.id}/`;
    if (c.kind === 'milestone') return [`${path}milestones`, { status: 'in-transit' }];
    if (c.kind === 'loss')
      return [`${path}loss`, { quantity: c.quantity, reason: 'Lost in transit' }];
    const received = shipment.quantity - shipment.lost;
    const accepted = Math.floor(received * c.acceptedShare);
    return [
      `${path}delivery`,
      {
        receivedQuantity: received,
        acceptedQuantity: accepted,
        ...(accepted < received ? { rejectionReason: 'damaged' } : {}),
      },
    ];
  }

  it('leaves every figure equal to a fold of only the entitled writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 20 }), async (commands) => {
        const world = await aWorld();
        const shipments: ModelShipment[] = [];
        const model: Figures[] = world.pledges.map(() => ({
          shipped: 0,
          lost: 0,
          received: 0,
          accepted: 0,
        }));
        let accepted = 0;
        const before = await stack.committedEvents('shipment-service');
        for (const c of commands) {
          if (c.kind !== 'dispatch' && shipments.length === 0) continue;
          const id = newId();
          const target =
            c.kind === 'dispatch' ? undefined : shipments[c.shipment % shipments.length];
          const receivedBefore = target === undefined ? 0 : target.quantity - target.lost;
          const [path, payload] = body(world, shipments, c, id);
          const status = expected(world, shipments, c, id);
          const response = await send(c.party, path, payload);
          expect({ command: c, status: response.status }).toEqual({ command: c, status });
          if (status >= 300) continue;
          accepted += 1;
          if (c.kind === 'dispatch') model[c.pledge].shipped += c.quantity;
          if (c.kind === 'loss' && target) model[target.pledge].lost += c.quantity;
          if (c.kind === 'delivery' && target) {
            model[target.pledge].received += receivedBefore;
            model[target.pledge].accepted += (
              payload as { acceptedQuantity: number }
            ).acceptedQuantity;
          }
        }
        expect((await stack.committedEvents('shipment-service')) - before).toBe(accepted);
        const ids = new Set(shipments.map((s) => s.id));
        const events = await watcher.waitFor(
          `${accepted} events of this run`,
          (m) => m.key !== undefined && ids.has(m.key),
          accepted,
        );
        const folded: Figures[] = world.pledges.map(() => ({
          shipped: 0,
          lost: 0,
          received: 0,
          accepted: 0,
        }));
        for (const event of events) {
          const shipment = shipments.find((s) => s.id === event.key);
          const data = event.json?.data as Record<string, number>;
          const figures = folded[shipment?.pledge ?? 0];
          if (event.json?.type === 'tracker.shipment.dispatched.v1')
            figures.shipped += data.quantity;
          if (event.json?.type === 'tracker.shipment.lost.v1') figures.lost += data.quantity;
          if (event.json?.type === 'tracker.shipment.delivered.v1') {
            figures.received += data.receivedQuantity;
            figures.accepted += data.acceptedQuantity;
          }
        }
        expect(folded).toEqual(model);
      }),
      { numRuns: 15, seed: 20261207 },
    );
  });
});

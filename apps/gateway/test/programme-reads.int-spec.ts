import { ProgrammeValue } from '@tracker/read-model';
import { waitFor } from '@tracker/testing';
import request from 'supertest';
import { Clients, ReadModelFixture, RunningGateway, startGateway, TOKENS } from './gateway-harness';

const CHANNEL = 'programme:EU-1M-SHELLS';

describe('a programme over REST and /live', () => {
  let readModel: ReadModelFixture;
  let gateway: RunningGateway;
  const clients = new Clients();

  const get = (path: string, token: string) =>
    request(gateway.url).get(path).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    readModel = await ReadModelFixture.create('programme-reads');
    await readModel.declareProgramme({
      programmeId: 'EU-1M-SHELLS',
      name: 'EU plan: one million rounds',
      itemCode: 'AMMO-155MM',
      targetQuantity: 1_000_000,
      deadline: '2024-03-31',
    });
    await readModel.pledge('de-1', { donor: 'DE', pledged: 400_000, programme: 'EU-1M-SHELLS' });
    await readModel.pledge('fr-1', { donor: 'FR', pledged: 100_000, accepted: 100_000 });
    await readModel.programmeMonth('EU-1M-SHELLS', '2023-03', 'p', 400_000);
    gateway = await startGateway(readModel);
  });

  afterEach(() => clients.closeAll());

  afterAll(async () => {
    await gateway.close();
    await readModel.cleanup();
  });

  it('gives every token the same public value, the one a snapshot holds', async () => {
    const { values } = await readModel.snapshot([CHANNEL]);
    expect(values[CHANNEL]).toMatchObject({
      targetQuantity: 1_000_000,
      pledged: 400_000,
      accepted: 0,
      shortfall: 1_000_000,
      unpledged: 600_000,
      pledges: 1,
    });
    for (const token of Object.values(TOKENS)) {
      const response = await get('/v1/programmes/EU-1M-SHELLS/live', token).expect(200);
      expect(response.body).toEqual(values[CHANNEL]);
      for (const field of ['allocated', 'shipped', 'received', 'rejected', 'lost']) {
        expect(response.body).not.toHaveProperty(field);
      }
    }
  });

  it('answers 404 problem+json for a programme without data and a malformed code', async () => {
    for (const path of ['/v1/programmes/CZ-AMMO-INITIATIVE/live', '/v1/programmes/eu-1m/live']) {
      const response = await get(path, TOKENS.ops).expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('sends a subscriber the snapshot, then each new value as deliveries are accepted', async () => {
    const client = await clients.live(gateway.url, TOKENS.producer, [CHANNEL]);
    const value = () => client.values.get(CHANNEL) as ProgrammeValue | null | undefined;
    expect(value()).toMatchObject({ pledged: 400_000, accepted: 0 });

    await readModel.pledge('de-1', {
      donor: 'DE',
      pledged: 400_000,
      accepted: 250_000,
      status: 'partially-delivered',
      programme: 'EU-1M-SHELLS',
    });
    await readModel.programmeMonth('EU-1M-SHELLS', '2023-11', 'd', 250_000);
    await waitFor('the update with the delivery', () => value()?.monthly.length === 9);
    expect(value()).toMatchObject({
      accepted: 250_000,
      outstanding: 150_000,
      shortfall: 750_000,
      deliveredShare: 0.25,
      pledgeCounts: { 'partially-delivered': 1, announced: 0 },
      forecast: { basis: 'recent-deliveries', estimate: true },
    });
    expect(value()?.monthly.at(-1)).toEqual({
      month: '2023-11',
      pledged: 0,
      delivered: 250_000,
      cumulativePledged: 400_000,
      cumulativeDelivered: 250_000,
    });
  });
});

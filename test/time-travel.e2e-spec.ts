// Reads at a time through the gateway (issue 18 part 2): `?asOf=` and `?knownAt=` on the live
// reads are forwarded to projection-service's time-travel process, which authenticates,
// validates the query and scopes the answer as the live read does.
import { aPledge, anAllocation, TEST_TOKENS, waitFor } from '@tracker/testing';
import request from 'supertest';
import { startReadStack, ReadStack } from './read-stack';

describe('time travel through the gateway', () => {
  let stack: ReadStack;
  const pledge = aPledge()
    .withDonor('PL')
    .withQuantity(1000)
    .announcedAt('2026-01-10T09:00:00Z')
    .withTargetDate('2026-12-31')
    .buildEvent({ time: '2026-01-10T09:00:00Z' });
  const allocation = anAllocation()
    .forPledge(pledge.data)
    .withQuantity(400)
    .buildEvent({ time: '2026-02-01T09:00:00Z' });

  beforeAll(async () => {
    stack = await startReadStack('time-travel', { timeTravel: true });
    await stack.publish([pledge, allocation]);
    await waitFor('the projection to fold both events', async () => {
      const live = await stack.get('admin', `/v1/pledges/${pledge.data.pledgeId}/live`);
      return (live.body as { allocated?: number }).allocated === 400;
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const waitForTimeTravel = (party: 'admin' | 'donorDE' | 'donorPL', path: string) =>
    waitFor(`time travel to answer ${path}`, async () => (await stack.get(party, path)).ok, {
      timeoutMs: 60_000,
    });

  it('answers asOf with what had happened by then, in the live read’s shape', async () => {
    const before = '/v1/donors/PL?asOf=2026-01-20T00:00:00Z';
    await waitForTimeTravel('admin', before);
    const early = await stack.get('admin', before).expect(200);
    expect(early.body).toMatchObject({
      kind: 'donor',
      donor: 'PL',
      pledges: 1,
      totals: { pledged: 1000, allocated: 0 },
    });
    const later = await stack.get('admin', '/v1/donors/PL?asOf=2026-03-01T00:00:00Z').expect(200);
    expect(later.body).toMatchObject({ totals: { pledged: 1000, allocated: 400 } });
    const live = await stack.get('admin', '/v1/donors/PL').expect(200);
    expect(Object.keys(later.body as object).sort()).toEqual(
      Object.keys(live.body as object).sort(),
    );
  });

  it('scopes the past like the present: another donor sees no operational figures', async () => {
    const path = '/v1/donors/PL?asOf=2026-03-01T00:00:00Z';
    await waitForTimeTravel('donorDE', path);
    const other = await stack.get('donorDE', path).expect(200);
    const own = await stack.get('donorPL', path).expect(200);
    expect((own.body as { totals: object }).totals).toHaveProperty('allocated', 400);
    expect((other.body as { totals: object }).totals).not.toHaveProperty('allocated');
    const liveOther = await stack.get('donorDE', '/v1/donors/PL').expect(200);
    expect(other.body).toEqual(liveOther.body);
    const pledgePath = `/v1/pledges/${pledge.data.pledgeId}/live`;
    const then = await stack.get('donorDE', `${pledgePath}?knownAt=2099-01-01T00:00:00Z`);
    expect(then.status).toBe(200);
    expect(then.body).toEqual((await stack.get('donorDE', pledgePath).expect(200)).body);
    expect(then.body).not.toHaveProperty('allocated');
  });

  it('refuses a malformed or doubled time with 422 naming the field, and no token with 401', async () => {
    const both = await stack
      .get('admin', '/v1/overview?asOf=2026-01-01T00:00:00Z&knownAt=2026-01-01T00:00:00Z')
      .expect(422);
    expect(both.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(both.body).toMatchObject({ errors: [{ field: 'knownAt' }] });
    const malformed = await stack.get('admin', '/v1/items/AMMO-155MM?asOf=yesterday').expect(422);
    expect(malformed.body).toMatchObject({ errors: [{ field: 'asOf' }] });
    await request(stack.gateway.url).get('/v1/overview?asOf=2026-01-01T00:00:00Z').expect(401);
  });

  it('answers every party on each of the four reads at a time as the live read answers it, and no token 401', async () => {
    const paths = [
      '/v1/overview',
      '/v1/donors/PL',
      '/v1/items/AMMO-155MM',
      `/v1/pledges/${pledge.data.pledgeId}/live`,
    ];
    // knownAt in the future is "now, as known": the same picture as the live read, so each
    // party's answer must equal, status and body, what that party reads live.
    const now = 'knownAt=2099-01-01T00:00:00Z';
    await waitForTimeTravel('admin', `${paths[0]}?${now}`);
    const parties = Object.keys(TEST_TOKENS) as (keyof typeof TEST_TOKENS)[];
    const differ: string[] = [];
    for (const path of paths) {
      for (const party of parties) {
        const [live, then] = await Promise.all([
          stack.get(party, path),
          stack.get(party, `${path}?${now}`),
        ]);
        if (live.status !== then.status || JSON.stringify(live.body) !== JSON.stringify(then.body))
          differ.push(`${party} ${path}: live ${live.status}, knownAt ${then.status}`);
      }
      await request(stack.gateway.url).get(`${path}?${now}`).expect(401);
    }
    expect(differ).toEqual([]);
  });
});

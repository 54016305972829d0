import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext } from 'playwright-core';
import { delayLine, PublicPledgesBody, PublicSummaryBody } from '../dashboard/public-model';
import { buildDashboard, expectText, launchBrowser, pageProblems, ROOT } from './browser';
import { ReadModelFixture, RunningGateway, startGateway, TOKENS } from './gateway-harness';

const DONOR_SCREENSHOT = join(ROOT, '.tmp', 'dashboard-donor.png');
const PUBLIC_SCREENSHOT = join(ROOT, '.tmp', 'public.png');

/** The pledges pledge-service lists to any token: every one, since announcements are public. */
const LISTED_PLEDGES = ['de-155-1', 'fr-155-1', 'pl-mbt-1'];

/**
 * A stand-in for pledge-service's `GET /v1/pledges` and `GET /v1/programmes` (the dashboard lists
 * pledges and declared programmes from it at start), so that every request of the page has an
 * answer.
 */
async function pledgeList(ids: readonly string[]): Promise<Server> {
  const server = createServer((request, response) => {
    const json = (body: unknown) =>
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (request.method === 'GET' && request.url?.startsWith('/v1/pledges')) {
      json({ items: ids.map((pledgeId) => ({ pledgeId })) });
    } else if (request.method === 'GET' && request.url?.startsWith('/v1/programmes')) {
      json({ items: [] });
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return server;
}

async function seed(readModel: ReadModelFixture): Promise<void> {
  // One pledge recorded long enough ago for the gateway's own public view to show it.
  await readModel.publicFact(
    {
      k: 'announced',
      id: 'e-nl',
      t: '2026-09-01T00:00:00Z',
      pledge: {
        pledgeId: 'nl-155-1',
        donor: 'NL',
        recipient: 'UA',
        itemCode: 'AMMO-155MM',
        quantity: 8_000,
        announcedAt: '2026-09-01T00:00:00Z',
        purpose: 'aid',
        sourcing: 'procurement',
        confidence: 'official',
      },
    },
    Date.now() - 40 * 86_400_000,
  );
  await readModel.pledge('de-155-1', {
    donor: 'DE',
    itemCode: 'AMMO-155MM',
    pledged: 100_000,
    accepted: 36_000,
    status: 'overdue',
    targetDate: '2026-03-31',
    forecastDate: '2026-09-30',
    daysLate: 183,
  });
  await readModel.pledge('fr-155-1', {
    donor: 'FR',
    itemCode: 'AMMO-155MM',
    pledged: 30_000,
    accepted: 30_000,
  });
  await readModel.pledge('pl-mbt-1', {
    donor: 'PL',
    itemCode: 'MBT',
    pledged: 14,
    accepted: 6,
    status: 'partially-delivered',
    targetDate: '2027-01-31',
    daysLate: -47,
  });
  await readModel.capacity('AMMO-155MM', 40_000);
  await readModel.produced('AMMO-155MM', '2026-11-20', 12_000);
  await readModel.capacity('MBT', 4, 'government');
  await readModel.stockpile('DE', 'AMMO-155MM', 20_000, 50_000);
  await readModel.stockpile('PL', 'MBT', 60, 40);
  await readModel.alert('overdue-de', {
    alertId: 'overdue-de',
    kind: 'pledge-overdue',
    severity: 'critical',
    entityType: 'pledge',
    entityId: 'de-155-1',
    message: 'Pledge de-155-1 is 183 days past its target date',
    raisedAt: '2026-11-30T08:00:00Z',
    details: { donor: 'DE', daysLate: 183 },
  });
  const entries = [
    ['e-1', 'de-155-1', 'DE pledged 100000 AMMO-155MM to UA', { class: 'public' }],
    ['e-2', 'fr-155-1', 'FR delivered 30000 AMMO-155MM', { class: 'operational', donor: 'FR' }],
    ['e-3', 'pl-mbt-1', 'PL dispatched 6 MBT', { class: 'operational', donor: 'PL' }],
  ] as const;
  for (const [id, subject, summary, audience] of entries) {
    await readModel.feed({
      id,
      type: 'tracker.pledge.announced.v1',
      time: new Date().toISOString(),
      subject,
      summary,
      audience,
    });
  }
}

/** What the public routes answer, in the shapes of DESIGN.md's public view. */
const SUMMARY: PublicSummaryBody = {
  asOf: '2026-11-07T06:00:00Z',
  delayDays: 30,
  rows: [
    {
      donor: 'DE',
      itemCode: 'AMMO-155MM',
      month: '2026-09',
      pledged: 100_000,
      pledgedValueCents: 30_000_000_000,
      delivered: 36_000,
      deliveredValueCents: 10_800_000_000,
    },
    {
      donor: 'PL',
      itemCode: 'MBT',
      month: '2026-10',
      pledged: 14,
      pledgedValueCents: 7_000_000_000,
      delivered: 6,
      deliveredValueCents: 3_000_000_000,
    },
  ],
  totals: { pledged: 100_014, delivered: 36_006 },
};
const PLEDGES: PublicPledgesBody = {
  asOf: SUMMARY.asOf,
  delayDays: 30,
  items: [
    {
      pledgeId: 'de-155-1',
      donor: 'DE',
      recipient: 'UA',
      itemCode: 'AMMO-155MM',
      quantity: 100_000,
      valueCents: 30_000_000_000,
      announcedAt: '2026-01-15T09:00:00Z',
      targetDate: '2026-03-31',
      purpose: 'donation',
      sourcing: 'new-production',
      confidence: 'official',
      sourceUrl: 'https://example.org/de-155-1',
      status: 'overdue',
      delivered: 36_000,
    },
    {
      pledgeId: 'pl-mbt-2',
      donor: 'PL',
      recipient: 'UA',
      itemCode: 'MBT',
      quantity: 10,
      announcedAt: '2026-02-01T09:00:00Z',
      purpose: 'donation',
      sourcing: 'from-stock',
      confidence: 'reported',
      status: 'cancelled',
      delivered: 0,
      cancelled: { at: '2026-03-01T00:00:00Z', reason: 'replaced by pl-mbt-1' },
    },
  ],
};

describe('the dashboard as each viewer sees it, and the public page', () => {
  let dashboard: string;
  let profile: string;
  let readModel: ReadModelFixture;
  let pledgeService: Server;
  let gateway: RunningGateway;
  let browser: BrowserContext;

  beforeAll(async () => {
    dashboard = await mkdtemp(join(tmpdir(), 'tracker-dashboard-'));
    profile = await mkdtemp(join(tmpdir(), 'tracker-chromium-'));
    await buildDashboard(dashboard);
    readModel = await ReadModelFixture.create('dashboard-viewers');
    await seed(readModel);
    pledgeService = await pledgeList(LISTED_PLEDGES);
    const { port } = pledgeService.address() as AddressInfo;
    gateway = await startGateway(readModel, {
      DASHBOARD_DIR: dashboard,
      PLEDGE_SERVICE_URL: `http://127.0.0.1:${port}`,
      PRODUCTION_SERVICE_URL: 'http://127.0.0.1:9',
      SHIPMENT_SERVICE_URL: 'http://127.0.0.1:9',
    });
    browser = await launchBrowser(profile);
    await mkdir(join(ROOT, '.tmp'), { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await new Promise((closed) => pledgeService?.close(closed));
    await readModel?.cleanup();
    await rm(dashboard, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  });

  it('answers GET /v1/me with the caller’s view, and 401 without a token', async () => {
    const me = (token?: string) =>
      fetch(`${gateway.url}/v1/me`, {
        headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
      });
    const germany = await me(TOKENS.germany);
    expect(germany.status).toBe(200);
    expect(await germany.json()).toEqual({
      role: 'donor:DE',
      view: 'own',
      description:
        "Donor DE: your pledges and their operations in full; everyone else's public picture",
    });
    expect(await (await me(TOKENS.ops)).json()).toMatchObject({ role: 'ops', view: 'full' });
    expect((await me()).status).toBe(401);
  });

  it('shows a donor which view it is, and its data, without an error', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page);
    await page.goto(gateway.url);
    await page.getByLabel('Access token').fill(TOKENS.germany);
    await page.getByRole('button', { name: 'Connect' }).click();

    const banner = page.locator('#view-scope');
    await expectText(banner, 'Donor DE: your pledges and their operations in full');
    expect(await banner.getAttribute('data-view')).toBe('own');
    await expectText(page.locator('#connection'), 'live');
    await expectText(page.locator('dd[data-total="pledged"]'), '130,014');
    await expectText(page.locator('#pledges tbody tr[data-pledge="de-155-1"]'), '100,000');
    await expectText(page.locator('#alerts'), 'de-155-1 is 183 days past');
    await expectText(page.locator('#stockpiles tbody tr'), 'DE');
    await expectText(page.locator('#capacity-table tbody'), 'AMMO-155MM');
    // Its own pledge whole, the others' public and marked so; others' stockpiles and the
    // operational totals of the overview not at all.
    await expectText(page.locator('#pledges tbody tr[data-pledge="fr-155-1"]'), 'public');
    expect(
      await page.locator('#pledges tbody tr[data-pledge="de-155-1"]').innerText(),
    ).not.toContain('public');
    expect(await page.locator('#stockpiles tbody').innerText()).not.toContain('PL');
    for (const total of ['allocated', 'shipped']) {
      expect(await page.locator(`dd[data-total="${total}"]`).count()).toBe(0);
    }

    // Whatever the donor does not get is left out, never shown as a blank or a broken number.
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/NaN|undefined|null/);
    await page.screenshot({ path: DONOR_SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows a producer its view, the channels it is refused left out, without an error', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page);
    await page.goto(gateway.url);
    await page.getByLabel('Access token').fill(TOKENS.producer);
    await page.getByRole('button', { name: 'Connect' }).click();

    await expectText(page.locator('#view-scope'), 'Producer rheinmetall: ');
    await expectText(page.locator('#connection'), 'live');
    await expectText(page.locator('dd[data-total="pledged"]'), '130,014');
    await expectText(page.locator('#capacity-table tbody'), 'MBT');
    expect(await page.locator('#stockpiles-section').isHidden()).toBe(true);
    expect(await page.locator('main').innerText()).not.toMatch(/NaN|undefined|null/);
    expect(problems).toEqual([]);
  });

  it('shows the public figures at /public, without a token, under the strict policy', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page);
    await page.route('**/public/v1/summary', (route) => route.fulfill({ json: SUMMARY }));
    await page.route('**/public/v1/pledges', (route) => route.fulfill({ json: PLEDGES }));
    const response = await page.goto(`${gateway.url}/public`);
    expect(response?.status()).toBe(200);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toMatch(/(^|; )script-src 'self'(;|$)/);

    await expectText(
      page.locator('#public-delay'),
      'Public view: facts recorded at least 30 days ago, as of 7 Nov 2026, 06:00 UTC',
    );
    await expectText(page.locator('dd[data-total="pledged"]'), '€370,000,000');
    await expectText(page.locator('#by-donor tr[data-key="DE"]'), '€108,000,000');
    await expectText(page.locator('#by-donor tr[data-key="DE"]'), '36 %');
    await expectText(page.locator('#by-item tr[data-key="MBT"]'), '42.9 %');
    await expectText(page.locator('#public-pledges tr[data-pledge="de-155-1"]'), '36,000');
    await expectText(
      page.locator('#public-pledges tr[data-pledge="pl-mbt-2"]'),
      'cancelled: replaced by pl-mbt-1',
    );
    expect(
      await page.locator('#public-pledges tr[data-pledge="de-155-1"] a').getAttribute('href'),
    ).toBe('https://example.org/de-155-1');
    expect(await page.locator('main').innerText()).not.toMatch(/NaN|undefined|null/);
    await page.screenshot({ path: PUBLIC_SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('says so at /public when nothing is old enough to be public yet, no empty table', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page);
    await page.route('**/public/v1/summary', (route) =>
      route.fulfill({ json: { ...SUMMARY, rows: [], totals: { pledged: 0, delivered: 0 } } }),
    );
    await page.route('**/public/v1/pledges', (route) =>
      route.fulfill({ json: { ...PLEDGES, items: [] } }),
    );
    await page.goto(`${gateway.url}/public`);
    await expectText(page.locator('#public-empty'), 'nothing was recorded at least 30 days ago');
    await expectText(page.locator('#public-pledges-note'), 'No public pledges yet.');
    expect(await page.locator('#public-summary').isHidden()).toBe(true);
    expect(await page.locator('#public-pledges').isHidden()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('serves /public/ as the page against the gateway’s own public routes', async () => {
    // The page says what GET /public/v1/summary answers: its delay line, or that it has none.
    const answer = await fetch(`${gateway.url}/public/v1/summary`);
    expect(answer.status).toBe(200);
    const summary = (await answer.json()) as PublicSummaryBody;
    expect(summary.rows.map((row) => row.donor)).toEqual(['NL']);
    const expected = delayLine(summary.delayDays, summary.asOf);

    const page = await browser.newPage();
    const problems = pageProblems(page);
    const response = await page.goto(`${gateway.url}/public/`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await expectText(page.locator('#public-delay'), expected);
    await expectText(page.locator('#public-pledges tr[data-pledge="nl-155-1"]'), '8,000');
    expect(problems).toEqual([]);
  });
});

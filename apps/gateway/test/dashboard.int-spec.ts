import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, Page } from 'playwright-core';
import { waitFor } from '@tracker/testing';
import { buildDashboard, expectText, launchBrowser, ROOT } from './browser';
import { ReadModelFixture, RunningGateway, startGateway, TOKENS } from './gateway-harness';

const SCREENSHOT = join(ROOT, '.tmp', 'dashboard.png');

/** The gateway's environment: the dashboard from this suite's build, no write services. */
const env = (dashboard: string) => ({
  DASHBOARD_DIR: dashboard,
  PLEDGE_SERVICE_URL: 'http://127.0.0.1:9',
  PRODUCTION_SERVICE_URL: 'http://127.0.0.1:9',
  SHIPMENT_SERVICE_URL: 'http://127.0.0.1:9',
});

async function seed(readModel: ReadModelFixture): Promise<void> {
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
    forecastDate: '2026-12-15',
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
  for (const [id, summary] of [
    ['e-1', 'DE pledged 100000 AMMO-155MM to UA'],
    ['e-2', 'FR delivered 30000 AMMO-155MM'],
    ['e-3', 'PL dispatched 6 MBT'],
  ]) {
    await readModel.feed({
      id,
      type: 'tracker.pledge.announced.v1',
      time: new Date().toISOString(),
      subject: id === 'e-1' ? 'de-155-1' : id === 'e-2' ? 'fr-155-1' : 'pl-mbt-1',
      summary,
    });
  }
}

const pledgedTotal = (page: Page) => page.locator('dd[data-total="pledged"]');

describe('the dashboard in a browser', () => {
  let dashboard: string;
  let profile: string;
  let readModel: ReadModelFixture;
  let gateway: RunningGateway;
  let browser: BrowserContext;

  beforeAll(async () => {
    dashboard = await mkdtemp(join(tmpdir(), 'tracker-dashboard-'));
    profile = await mkdtemp(join(tmpdir(), 'tracker-chromium-'));
    await buildDashboard(dashboard);
    readModel = await ReadModelFixture.create('dashboard');
    await seed(readModel);
    gateway = await startGateway(readModel, env(dashboard));
    browser = await launchBrowser(profile);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await readModel?.cleanup();
    await rm(dashboard, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  });

  /** Content-Security-Policy violations the browser reports on the page's console. */
  function violations(page: Page): string[] {
    const seen: string[] = [];
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) seen.push(message.text());
    });
    return seen;
  }

  it('logs in, updates without reload, resumes after the gateway restarts', async () => {
    const page = await browser.newPage();
    const refused = violations(page);
    const response = await page.goto(gateway.url);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toMatch(/(^|; )style-src 'self'(;|$)/);
    expect(policy).toContain("connect-src 'self' ws: wss:");
    await page.getByLabel('Access token').fill(TOKENS.admin);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expectText(pledgedTotal(page), '130,014');
    await expectText(page.locator('#connection'), 'live');
    await expectText(page.locator('#pledges tbody tr[data-pledge="de-155-1"]'), '2026-09-30');

    // A change written to the read model shows within 2 s, without a reload.
    const writtenAt = Date.now();
    await readModel.pledge('fr-155-1', {
      donor: 'FR',
      itemCode: 'AMMO-155MM',
      pledged: 50_000,
      accepted: 30_000,
    });
    await expectText(pledgedTotal(page), '150,014', 2000);
    const shownAfter = Date.now() - writtenAt;
    expect(shownAfter).toBeLessThan(2000);

    // The gateway goes away; changes happen meanwhile; it comes back where it was.
    const { port } = new URL(gateway.url);
    await gateway.close();
    await expectText(page.locator('#connection'), 'reconnecting…');
    await readModel.pledge('pl-mbt-1', {
      donor: 'PL',
      itemCode: 'MBT',
      pledged: 20,
      accepted: 6,
      status: 'partially-delivered',
      targetDate: '2027-01-31',
      forecastDate: '2026-12-15',
      daysLate: -47,
    });
    gateway = await startGateway(readModel, env(dashboard), Number(port));
    await expectText(page.locator('#connection'), 'live', 10_000);
    await expectText(pledgedTotal(page), '150,020');
    await expectText(page.locator('#freshness'), 'newest update');

    await mkdir(join(ROOT, '.tmp'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    // Everything above ran under the strict policy: nothing of the dashboard's was blocked.
    expect(refused).toEqual([]);
  });

  it('shows the API docs under their own Content-Security-Policy, nothing blocked', async () => {
    const page = await browser.newPage();
    const refused = violations(page);
    const response = await page.goto(`${gateway.url}/docs`);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("frame-ancestors 'none'");
    await expectText(page.locator('.swagger-ui .info'), 'gateway', 10_000);
    await expectText(page.locator('.swagger-ui'), '/v1/overview', 10_000);
    expect(refused).toEqual([]);
  });

  it('sorts and filters the pledge table by keyboard', async () => {
    const page = await browser.newPage();
    await page.goto(gateway.url);
    await page.getByLabel('Access token').fill(TOKENS.admin);
    await page.keyboard.press('Enter');
    await expectText(page.locator('#pledges tbody'), 'pl-mbt-1');
    await page.locator('#pledges button[data-column="pledged"]').focus();
    await page.keyboard.press('Enter');
    const firstRow = page.locator('#pledges tbody tr').first();
    await expectText(firstRow, 'pl-mbt-1');
    await page.getByLabel('Filter by id, donor or item').fill('FR');
    await waitFor(
      'one pledge row',
      async () => (await page.locator('#pledges tbody tr').count()) === 1,
    );
    await expectText(firstRow, 'fr-155-1');
  });

  it("draws a programme against its target and opens a pledge's history", async () => {
    await readModel.declareProgramme({
      programmeId: 'EU-1M-SHELLS',
      name: 'One million shells',
      itemCode: 'AMMO-155MM',
      targetQuantity: 1_000_000,
      deadline: '2024-03-20',
    });
    await readModel.pledge('eu-1m-cz', {
      donor: 'CZ',
      itemCode: 'AMMO-155MM',
      programme: 'EU-1M-SHELLS',
      pledged: 800_000,
      accepted: 524_000,
    });
    await readModel.feed({
      id: 'e-4',
      type: 'tracker.pledge.announced.v1',
      time: new Date().toISOString(),
      subject: 'eu-1m-cz',
      summary: 'CZ pledged 800000 AMMO-155MM to UA',
    });
    await readModel.programmeMonth('EU-1M-SHELLS', '2023-06', 'p', 800_000);
    await readModel.programmeMonth('EU-1M-SHELLS', '2024-03', 'd', 524_000);
    const recorded = '2024-03-21T09:00:00.000Z';
    await readModel.history('eu-1m-cz', {
      eventId: 'h-1',
      type: 'tracker.pledge.announced.v1',
      source: '/pledge-service',
      reportedBy: null,
      time: '2023-06-01T00:00:00.000Z',
      recordedAt: recorded,
      confidence: 'official',
      class: 'public',
      changes: { pledged: { before: 0, after: 800_000 } },
    });
    await readModel.history('eu-1m-cz', {
      eventId: 'h-2',
      type: 'tracker.shipment.delivery-corrected.v1',
      source: '/shipment-service',
      reportedBy: 'recipient:UA',
      time: '2024-03-20T00:00:00.000Z',
      recordedAt: recorded,
      confidence: 'confirmed',
      class: 'public',
      reason: 'counted twice at the depot',
      shipmentId: 's-1',
      changes: { accepted: { before: 600_000, after: 524_000 } },
    });

    const page = await browser.newPage();
    await page.goto(gateway.url);
    await page.getByLabel('Access token').fill(TOKENS.admin);
    await page.keyboard.press('Enter');
    const row = page.locator('#programmes tbody tr[data-programme="EU-1M-SHELLS"]');
    await expectText(row, '1,000,000');
    await expectText(row, '524,000');
    await expectText(row, '52.4 %');
    await expectText(row, '476,000');
    await expectText(page.locator('#programme-chart'), '');
    expect(await page.locator('#programme-chart').getAttribute('aria-label')).toContain(
      '524000 delivered and 800000 pledged against a target of 1000000 by 2024-03-20',
    );

    await page.getByRole('button', { name: 'Page of pledge eu-1m-cz' }).click();
    const history = page.locator('#pledge-history tbody');
    await expectText(history, 'shipment.delivery-corrected');
    await expectText(history, 'counted twice at the depot');
    await expectText(history, 'accepted 600,000 → 524,000');
    await expectText(history, 'recipient:UA');
    await waitFor('the history chart to draw both entries', async () =>
      /^After 2 events: pledged 800000, accepted 524000$/.test(
        (await page.locator('#pledge-history-chart').getAttribute('aria-label')) ?? '',
      ),
    );
    await mkdir(join(ROOT, '.tmp'), { recursive: true });
    await page.screenshot({ path: join(ROOT, '.tmp', 'dashboard-history.png'), fullPage: true });
    await page.getByRole('button', { name: 'Close' }).click();
    await page.locator('#programmes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ROOT, '.tmp', 'dashboard-programme.png'), fullPage: true });
  });

  it('refuses a bad token and asks again', async () => {
    const page = await browser.newPage();
    await page.goto(gateway.url);
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expectText(page.locator('#login-error'), 'refused');
  });
});

// Issue 18, part 5: the dashboard as of a past day and "what changed since", in a browser, over
// the real read side: events folded by projection-service, reads at a time answered by its
// time-travel process through the gateway (`?asOf=` at the end of the chosen day, UTC).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anAllocation, aPledge, TEST_TOKENS, waitFor } from '@tracker/testing';
import { BrowserContext, Page } from 'playwright-core';
import {
  buildDashboard,
  expectText,
  launchBrowser,
  pageProblems,
  ROOT,
} from '../apps/gateway/test/browser';
import { ReadStack, startReadStack } from './read-stack';

describe('the dashboard as of a past day', () => {
  let dashboard: string;
  let profile: string;
  let stack: ReadStack;
  let browser: BrowserContext;
  const shells = aPledge()
    .withDonor('DE')
    .withItem('AMMO-155MM')
    .withQuantity(1_000)
    .announcedAt('2026-01-10T09:00:00Z')
    .withTargetDate('2026-12-31')
    .buildEvent({ time: '2026-01-10T09:00:00Z' });
  const allocation = anAllocation()
    .forPledge(shells.data)
    .withQuantity(400)
    .buildEvent({ time: '2026-02-01T09:00:00Z' });
  const tanks = aPledge()
    .withDonor('DE')
    .withItem('MBT')
    .withQuantity(12)
    .announcedAt('2026-02-05T09:00:00Z')
    .buildEvent({ time: '2026-02-05T09:00:00Z' });

  beforeAll(async () => {
    dashboard = await mkdtemp(join(tmpdir(), 'tracker-dashboard-'));
    profile = await mkdtemp(join(tmpdir(), 'tracker-chromium-'));
    await buildDashboard(dashboard);
    stack = await startReadStack('dashboard-as-of', {
      timeTravel: true,
      gatewayEnv: { DASHBOARD_DIR: dashboard, PLEDGE_SERVICE_URL: 'http://127.0.0.1:9' },
    });
    await stack.publish([shells, allocation, tanks]);
    await waitFor('the projection to fold every event', async () => {
      const live = await stack.get('admin', '/v1/overview');
      return (live.body as { totals?: { pledged?: number } }).totals?.pledged === 1_012;
    });
    await waitFor(
      'time travel to have every event',
      async () => {
        const read = await stack.get('admin', '/v1/overview?asOf=2026-03-01T00:00:00Z');
        return read.ok && (read.body as { totals: { pledged: number } }).totals.pledged === 1_012;
      },
      { timeoutMs: 60_000 },
    );
    browser = await launchBrowser(profile);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await rm(dashboard, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  });

  async function logIn(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(stack.gateway.url);
    await page.getByLabel('Access token').fill(TEST_TOKENS.admin);
    await page.keyboard.press('Enter');
    await expectText(page.locator('dd[data-total="pledged"]'), '1,012');
    await expectText(page.locator('#pledges tbody'), tanks.data.pledgeId);
    return page;
  }

  const total = (page: Page, name: string) => page.locator(`dd[data-total="${name}"]`);

  it('shows the figures as of the end of a past day, then live again', async () => {
    const page = await logIn();
    const problems = pageProblems(page);
    const asked: string[] = [];
    page.on('request', (sent) => {
      const url = new URL(sent.url());
      if (url.searchParams.has('asOf')) asked.push(`${url.pathname}${url.search}`);
    });
    await page.getByLabel('Show as of').fill('2026-01-20');
    await expectText(page.locator('#as-of-banner'), 'as of 2026-01-20 — live updates paused');
    await expectText(page.locator('#connection'), 'paused');
    const endOfDay = `asOf=${encodeURIComponent('2026-01-20T23:59:59.999Z')}`;
    await waitFor('every shown figure read as of the end of that day', async () =>
      [
        '/v1/overview',
        '/v1/donors/DE',
        '/v1/items/MBT',
        `/v1/pledges/${tanks.data.pledgeId}/live`,
      ].every((path) => asked.includes(`${path}?${endOfDay}`)),
    );
    await expectText(total(page, 'pledged'), '1,000');
    await expectText(total(page, 'allocated'), '0');
    // The tanks were pledged after that day: not in the table as of then.
    await waitFor(
      'the pledge table as of that day',
      async () => (await page.locator('#pledges tbody tr').count()) === 1,
    );
    await expectText(page.locator('#pledges tbody'), shells.data.pledgeId);

    // A pledge's page as of that day: its figures then, its history up to then.
    await page.getByRole('button', { name: `Page of pledge ${shells.data.pledgeId}` }).click();
    await expectText(page.locator('#pledge-figures dd[data-figure="pledged"]'), '1,000');
    await expectText(page.locator('#pledge-figures dd[data-figure="allocated"]'), '0');
    await page.getByRole('button', { name: 'Close' }).first().click();
    await mkdir(join(ROOT, '.tmp'), { recursive: true });
    await page.screenshot({ path: join(ROOT, '.tmp', 'dashboard-as-of.png'), fullPage: true });

    await page.getByRole('button', { name: 'Live' }).click();
    await expectText(total(page, 'pledged'), '1,012');
    await expectText(total(page, 'allocated'), '400');
    await expectText(page.locator('#connection'), 'live');
    // Time travel answers 404 for what did not exist yet, and this stack has no write services
    // (a pledge page's allocations and shipments are 502): the page says so and throws nothing.
    expect(problems.filter((problem) => problem.startsWith('exception'))).toEqual([]);
  });

  it('says what changed since a day, for the overview, each donor and item, and a pledge', async () => {
    const page = await logIn();
    await page.locator('#since').fill('2026-01-20');
    await expectText(page.locator('#changes-heading'), 'What changed since 2026-01-20');
    await expectText(
      page.locator('#changes li[data-change="overview:"]'),
      '+12 pledged, +400 allocated, +12 outstanding since 2026-01-20',
    );
    await expectText(
      page.locator('#changes li[data-change="donor:DE"]'),
      '+12 pledged, +400 allocated, +12 outstanding since 2026-01-20',
    );
    await expectText(
      page.locator('#changes li[data-change="item:AMMO-155MM"]'),
      '+400 allocated since 2026-01-20',
    );
    await expectText(
      page.locator('#changes li[data-change="item:MBT"]'),
      '+12 pledged, +12 outstanding since 2026-01-20',
    );
    await page.getByRole('button', { name: `Page of pledge ${shells.data.pledgeId}` }).click();
    await expectText(page.locator('#pledge-since'), '+400 allocated since 2026-01-20');
    await expectText(page.locator('#pledge-recent'), 'production.allocated allocated 0 → 400');
    await page.screenshot({
      path: join(ROOT, '.tmp', 'dashboard-changed-since.png'),
      fullPage: true,
    });
  });
});

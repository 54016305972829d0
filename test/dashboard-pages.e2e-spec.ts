// Issue 18, part 5: the dashboard's story pages in a browser. A pledge's page (its chart with
// the target date and the forecast as an estimate, its allocations and lots, its shipments with
// milestones and an ETA change, its history) and a donor's page, against a gateway in front of a
// real production-service and shipment-service (Postgres, the embedded broker) and a read model
// seeded with the pledges' figures and histories; and the same page for a viewer who sees only
// the pledge's public class.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LotCompletedV1, PledgeAnnouncedV1, TOPICS } from '@tracker/contracts';
import type { UnnumberedHistoryEntry } from '@tracker/read-model';
import {
  aLot,
  aMilestone,
  aPledge,
  aShipment,
  newId,
  startTestService,
  TEST_AUTH_TOKENS,
  TEST_TOKENS,
  TestDatabase,
  TestService,
  waitFor,
} from '@tracker/testing';
import { Kafka, logLevel } from 'kafkajs';
import { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import {
  AppModule as ProductionModule,
  prepareProductionService,
} from '../apps/production-service/src/app.module';
import {
  KafkaFeed,
  knownPledge,
  startShipmentService,
  suiteTopicPrefix,
  uniqueGroupPrefix,
} from '../apps/shipment-service/src/shipment-service.testing';
import {
  buildDashboard,
  expectText,
  launchBrowser,
  pageProblems,
  ROOT,
} from '../apps/gateway/test/browser';
import {
  ReadModelFixture,
  RunningGateway,
  startGateway,
} from '../apps/gateway/test/gateway-harness';
import { FIXTURE_NAMESPACE } from '../apps/gateway/test/read-model-fixture';
import { TimeTravelAppModule } from '../apps/projection-service/src/time-travel/time-travel.module';

const LABEL = 'dashboard_pages';

/** An entry of a pledge's history as the projection writes it. */
function entry(
  eventId: string,
  type: string,
  time: string,
  changes: UnnumberedHistoryEntry['changes'],
  extra: Partial<UnnumberedHistoryEntry> = {},
): UnnumberedHistoryEntry {
  return {
    eventId,
    type,
    source: `/${type.split('.')[1]}-service`,
    reportedBy: null,
    time,
    recordedAt: time,
    confidence: type.includes('pledge') ? 'official' : 'reported',
    class: type.includes('pledge') ? 'public' : 'operational',
    changes,
    ...extra,
  };
}

/** Topics under the suite's prefix, with the partitions the others have (existing ones stay). */
async function createTopics(prefix: string, names: readonly string[]): Promise<void> {
  const admin = new Kafka({
    clientId: LABEL,
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: names.map((name) => ({ topic: `${prefix}${name}`, numPartitions: 3 })),
    });
  } finally {
    await admin.disconnect();
  }
}

describe('the story pages in a browser', () => {
  const topicPrefix = suiteTopicPrefix(LABEL);
  const groupPrefix = uniqueGroupPrefix(LABEL);
  const pledge: PledgeAnnouncedV1 = aPledge()
    .withDonor('DE')
    .withRecipient('UA')
    .withItem('AMMO-155MM')
    .withQuantity(5_000)
    .build();
  const tanks = aPledge().withDonor('DE').withItem('MBT').withQuantity(10).build();
  const lot: LotCompletedV1 = aLot()
    .withLotId(`LOT-${newId()}`)
    .withItem('AMMO-155MM')
    .withQuantity(3_000)
    .build();
  const shipment = aShipment()
    .forPledge(pledge)
    .withLots(lot)
    .withQuantity(2_400)
    .dispatchedAt('2026-03-20T07:00:00Z')
    .withEta('2026-03-23T12:00:00Z')
    .build();

  let dashboard: string;
  let profile: string;
  let readModel: ReadModelFixture;
  let production: TestService;
  let shipments: TestService;
  let timeTravel: TestService;
  let databases: TestDatabase[] = [];
  let feed: KafkaFeed;
  let gateway: RunningGateway;
  let browser: BrowserContext;

  const as = (party: keyof typeof TEST_TOKENS) => `Bearer ${TEST_TOKENS[party]}`;

  /** The write side: the pledge known to both services, a lot allocated, a shipment on its way. */
  async function seedServices(shipmentDb: TestDatabase): Promise<void> {
    await knownPledge(feed, shipmentDb, pledge);
    await waitFor('production-service to know the pledge', async () => {
      const response = await request(production.url)
        .get(`/v1/pledges-view/${pledge.pledgeId}`)
        .set('Authorization', as('ops'));
      return response.status === 200;
    });
    await request(production.url)
      .post('/v1/lots')
      .set('Authorization', as('producerRheinmetall'))
      .send(lot)
      .expect(201);
    await request(production.url)
      .post('/v1/allocations')
      .set('Authorization', as('producerRheinmetall'))
      .send({ lotId: lot.lotId, pledgeId: pledge.pledgeId, quantity: 3_000 })
      .expect(201);
    await waitFor('shipment-service to learn the allocation', async () => {
      const rows = await shipmentDb.query('select 1 from allocations_view where pledge_id = $1', [
        pledge.pledgeId,
      ]);
      return rows.length === 1;
    });
    const post = (path: string, body: object) =>
      request(shipments.url)
        .post(path)
        .set('Authorization', as('producerRheinmetall'))
        .send(body)
        .expect(201);
    await post('/v1/shipments', shipment);
    for (const milestone of [
      aMilestone()
        .withStatus('at-hub')
        .at('2026-03-22T15:00:00Z', 'Rzeszów')
        .withEta('2026-03-23T11:00:00Z'),
      aMilestone()
        .withStatus('border-crossed')
        .at('2026-03-23T09:00:00Z', 'Korczowa')
        .withEta('2026-03-25T12:00:00Z'),
    ]) {
      const { shipmentId: _id, ...body } = milestone.forShipment(shipment).build();
      await post(`/v1/shipments/${shipment.shipmentId}/milestones`, body);
    }
  }

  /** The 5,000-round pledge's figures as the read model holds them. */
  const pledgeFigures = {
    donor: 'DE',
    itemCode: 'AMMO-155MM',
    pledged: 5_000,
    accepted: 2_352,
    allocated: 3_000,
    shipped: 2_400,
    status: 'partially-delivered',
    targetDate: '2026-04-30',
    forecastDate: '2026-07-15',
    daysLate: 76,
  } as const;

  /** The read side: both pledges' figures and histories, as the projection would leave them. */
  async function seedReadModel(): Promise<void> {
    await readModel.pledge(pledge.pledgeId, pledgeFigures);
    await readModel.pledge(tanks.pledgeId, {
      donor: 'DE',
      itemCode: 'MBT',
      pledged: 10,
      accepted: 4,
      allocated: 4,
      shipped: 4,
      status: 'partially-delivered',
    });
    for (const [id, summary] of [
      [pledge.pledgeId, 'DE pledged 5000 AMMO-155MM to UA'],
      [tanks.pledgeId, 'DE pledged 10 MBT to UA'],
    ]) {
      await readModel.feed({
        id: `feed-${id}`,
        type: 'tracker.pledge.announced.v1',
        time: new Date().toISOString(),
        subject: id,
        summary,
        // Every viewer sees an announcement: a viewer without pledge-service's listing (down
        // here) learns the pledges from the feed.
        audience: { class: 'public' },
      });
    }
    const history: [string, UnnumberedHistoryEntry][] = [
      [
        pledge.pledgeId,
        entry('h-1', 'tracker.pledge.announced.v1', '2026-03-01T10:00:00Z', {
          pledged: { before: 0, after: 5_000 },
          outstanding: { before: 0, after: 5_000 },
        }),
      ],
      [
        tanks.pledgeId,
        entry('h-2', 'tracker.pledge.announced.v1', '2026-03-05T10:00:00Z', {
          pledged: { before: 0, after: 10 },
        }),
      ],
      [
        pledge.pledgeId,
        entry('h-3', 'tracker.production.allocated.v1', '2026-03-10T10:00:00Z', {
          allocated: { before: 0, after: 3_000 },
        }),
      ],
      [
        pledge.pledgeId,
        entry(
          'h-4',
          'tracker.shipment.dispatched.v1',
          '2026-03-20T07:00:00Z',
          { shipped: { before: 0, after: 2_400 } },
          { reportedBy: 'producer:rheinmetall', shipmentId: shipment.shipmentId },
        ),
      ],
      [
        pledge.pledgeId,
        entry(
          'h-5',
          'tracker.shipment.delivered.v1',
          '2026-03-26T08:00:00Z',
          { accepted: { before: 0, after: 2_352 } },
          {
            reportedBy: 'recipient:UA',
            confidence: 'confirmed',
            class: 'public',
            shipmentId: shipment.shipmentId,
          },
        ),
      ],
      [
        tanks.pledgeId,
        entry('h-6', 'tracker.shipment.delivered.v1', '2026-03-28T08:00:00Z', {
          accepted: { before: 0, after: 4 },
        }),
      ],
    ];
    for (const [pledgeId, step] of history) await readModel.history(pledgeId, step);
  }

  beforeAll(async () => {
    dashboard = await mkdtemp(join(tmpdir(), 'tracker-dashboard-'));
    profile = await mkdtemp(join(tmpdir(), 'tracker-chromium-'));
    await buildDashboard(dashboard);
    const productionDb = await TestDatabase.create(`${LABEL}_production`);
    const shipmentDb = await TestDatabase.create(`${LABEL}_shipment`);
    databases = [productionDb, shipmentDb];
    feed = await KafkaFeed.start(topicPrefix);
    production = await startTestService(
      'production-service',
      (config) => ProductionModule.forRoot(config),
      {
        DATABASE_SCHEMA: productionDb.schema,
        KAFKA_GROUP_PREFIX: groupPrefix,
        KAFKA_TOPIC_PREFIX: topicPrefix,
      },
      prepareProductionService,
    );
    shipments = await startShipmentService(shipmentDb, groupPrefix, topicPrefix);
    await seedServices(shipmentDb);
    readModel = await ReadModelFixture.create(LABEL);
    await seedReadModel();
    // Reads as of a day: time travel over the same topics (the services published the facts);
    // the one no service here writes to is made for it.
    await createTopics(topicPrefix, [TOPICS.stockpiles, TOPICS.shipments]);
    timeTravel = await startTestService(
      'projection-service',
      (config) => TimeTravelAppModule.forRoot(config),
      {
        REDIS_KEY_PREFIX: readModel.redis.prefix,
        READ_MODEL_NAMESPACE: FIXTURE_NAMESPACE,
        KAFKA_GROUP_PREFIX: groupPrefix,
        KAFKA_TOPIC_PREFIX: topicPrefix,
      },
    );
    await waitFor(
      'time travel to read the log',
      async () => (await fetch(`${timeTravel.url}/health/ready`)).ok,
      { timeoutMs: 50_000 },
    );
    gateway = await startGateway(readModel, {
      DASHBOARD_DIR: dashboard,
      AUTH_TOKENS: TEST_AUTH_TOKENS,
      PLEDGE_SERVICE_URL: 'http://127.0.0.1:9',
      PRODUCTION_SERVICE_URL: production.url,
      SHIPMENT_SERVICE_URL: shipments.url,
      TIME_TRAVEL_URL: timeTravel.url,
    });
    browser = await launchBrowser(profile);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await timeTravel?.close();
    await readModel?.cleanup();
    await shipments?.close();
    await production?.close();
    await feed?.stop();
    for (const database of databases) await database.drop();
    await rm(dashboard, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  });

  async function logIn(party: keyof typeof TEST_TOKENS): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(gateway.url);
    await page.getByLabel('Access token').fill(TEST_TOKENS[party]);
    await page.keyboard.press('Enter');
    await expectText(page.locator('#pledges tbody'), pledge.pledgeId);
    return page;
  }

  const chartLabel = (page: Page, id: string) =>
    page
      .locator(`#${id}`)
      .getAttribute('aria-label')
      .then((label) => label ?? '');

  it("opens a pledge's page: chart with target and estimate, lots, shipments, history", async () => {
    const page = await logIn('admin');
    const problems = pageProblems(page);
    await page.getByRole('button', { name: `Page of pledge ${pledge.pledgeId}` }).click();
    const dialog = page.locator('#pledge-detail');
    await expectText(dialog.locator('#pledge-detail-heading'), pledge.pledgeId);
    await expectText(dialog.locator('#pledge-figures'), '2,352');
    await waitFor('the chart to draw the history, the target and the forecast', async () =>
      (await chartLabel(page, 'pledge-history-chart')).endsWith(
        'target date 2026-04-30; forecast completion 2026-07-15 (estimate)',
      ),
    );
    expect(await chartLabel(page, 'pledge-history-chart')).toBe(
      'After 4 events: pledged 5000, allocated 3000, shipped 2400, accepted 2352; ' +
        'target date 2026-04-30; forecast completion 2026-07-15 (estimate)',
    );
    await expectText(dialog.locator('.legend'), 'dashed: the forecast completion');

    const allocation = dialog.locator('#pledge-allocations tbody tr');
    await expectText(allocation, 'rheinmetall');
    await expectText(allocation, '3,000');
    await expectText(allocation, lot.lotId);
    await expectText(allocation, 'passed');

    const sent = dialog.locator(
      `#pledge-shipments article[data-shipment="${shipment.shipmentId}"]`,
    );
    await expectText(sent, '2,400 in-transit');
    expect(await sent.locator('ol.milestones li').allTextContents()).toEqual([
      '22/03/2026, 15:00:00 at-hub at Rzeszów (producer:rheinmetall)',
      '23/03/2026, 09:00:00 border-crossed at Korczowa (producer:rheinmetall)',
    ]);
    // The dispatch said 12:00 on the 23rd; the hub revised it (its milestone's ETA, an hour
    // earlier), the border crossing again.
    expect(await sent.locator('ul.eta-changes li').allTextContents()).toEqual([
      'ETA 23/03/2026, 12:00:00 → 23/03/2026, 11:00:00, revised 22/03/2026, 15:00:00 by producer:rheinmetall',
      'ETA 23/03/2026, 11:00:00 → 25/03/2026, 12:00:00, revised 23/03/2026, 09:00:00 by producer:rheinmetall',
    ]);

    const history = dialog.locator('#pledge-history tbody');
    await expectText(history, 'shipment.delivered');
    await expectText(history, 'accepted 0 → 2,352');
    expect(await history.locator('tr').count()).toBe(4);

    await mkdir(join(ROOT, '.tmp'), { recursive: true });
    await page.screenshot({
      path: join(ROOT, '.tmp', 'dashboard-pledge-page.png'),
      fullPage: true,
    });
    expect(problems).toEqual([]);
  });

  it("shows a pledge's allocations and shipments as they stood at the end of a past day", async () => {
    const page = await logIn('admin');
    const problems = pageProblems(page);
    await page.getByLabel('Show as of').fill('2026-03-22');
    await page.getByRole('button', { name: `Page of pledge ${pledge.pledgeId}` }).click();
    const dialog = page.locator('#pledge-detail');
    const sent = dialog.locator(
      `#pledge-shipments article[data-shipment="${shipment.shipmentId}"]`,
    );
    await expectText(dialog.locator('#pledge-shipments-note'), 'As of 2026-03-22');
    await expectText(sent, '2,400 in-transit');
    // By the end of the 22nd the hub had been reached (and had revised the ETA), not the border.
    expect(await sent.locator('ol.milestones li').allTextContents()).toEqual([
      '22/03/2026, 15:00:00 at-hub at Rzeszów (producer:rheinmetall)',
    ]);
    await expectText(sent.locator('p.estimate'), 'ETA 23/03/2026, 11:00:00');
    // The allocation was made today, long after that day.
    await expectText(
      dialog.locator('#pledge-allocations-note'),
      'No allocations you may see were made by 2026-03-22.',
    );
    expect(await dialog.locator('#pledge-allocations tbody tr').count()).toBe(0);
    await mkdir(join(ROOT, '.tmp'), { recursive: true });
    await page.screenshot({
      path: join(ROOT, '.tmp', 'dashboard-pledge-as-of.png'),
      fullPage: true,
    });
    await page.getByRole('button', { name: 'Close' }).first().click();

    await page.getByLabel('Show as of').fill('2026-03-19');
    await page.getByRole('button', { name: `Page of pledge ${pledge.pledgeId}` }).click();
    await expectText(
      dialog.locator('#pledge-shipments-note'),
      'No shipments you may see were dispatched by 2026-03-19.',
    );
    expect(problems.filter((problem) => problem.startsWith('exception'))).toEqual([]);
  });

  it("opens a donor's and an item's page from the table and the chart: figures, pledges, chart", async () => {
    const page = await logIn('admin');
    const problems = pageProblems(page);
    await page
      .locator(`#pledges tbody tr[data-pledge="${pledge.pledgeId}"]`)
      .getByRole('button', { name: 'Page of donor DE' })
      .click();
    const dialog = page.locator('#subject-detail');
    await expectText(dialog.locator('#subject-heading'), 'Donor DE');
    await expectText(dialog.locator('#subject-figures'), '5,010');
    await expectText(dialog.locator('#subject-pledges tbody'), pledge.pledgeId);
    await expectText(dialog.locator('#subject-pledges tbody'), tanks.pledgeId);
    await expectText(dialog.locator('#subject-chart-note'), 'histories of 2 of its 2 pledges');
    expect(await chartLabel(page, 'subject-chart')).toContain('summed from 2 pledge histories');
    await mkdir(join(ROOT, '.tmp'), { recursive: true });
    await page.screenshot({ path: join(ROOT, '.tmp', 'dashboard-donor-page.png'), fullPage: true });

    // A pledge of the donor's page opens the pledge's page.
    await dialog.getByRole('button', { name: `Page of pledge ${tanks.pledgeId}` }).click();
    await expectText(page.locator('#pledge-detail-heading'), tanks.pledgeId);
    expect(await page.locator('#subject-detail').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Close' }).first().click();

    // A donor's bars in the flow chart open its page too (the only donor: the middle of the
    // chart, low on its bars).
    const chart = page.locator('#flow-donors');
    const box = (await chart.boundingBox())!;
    await chart.click({ position: { x: box.width / 2, y: box.height * 0.7 } });
    await expectText(dialog.locator('#subject-heading'), 'Donor DE');
    await page.getByRole('button', { name: 'Close' }).first().click();

    // An item's name opens the item's page, its pledges only.
    await page
      .locator(`#pledges tbody tr[data-pledge="${tanks.pledgeId}"]`)
      .getByRole('button', { name: 'Page of item MBT' })
      .click();
    await expectText(dialog.locator('#subject-heading'), 'Item MBT');
    await expectText(dialog.locator('#subject-chart-note'), 'histories of 1 of its 1 pledges');
    expect(await dialog.locator('#subject-pledges tbody tr').count()).toBe(1);
    await expectText(dialog.locator('#subject-pledges tbody'), tanks.pledgeId);
    expect(problems).toEqual([]);
  });

  it('shows another donor the public part of the pledge, and says what it may not see', async () => {
    const page = await logIn('donorPL');
    const problems = pageProblems(page);
    await page.getByRole('button', { name: `Page of pledge ${pledge.pledgeId}` }).click();
    const dialog = page.locator('#pledge-detail');
    await expectText(dialog.locator('#pledge-detail-view'), 'public history');
    await expectText(dialog.locator('#pledge-allocations-note'), 'No allocations you may see.');
    await expectText(dialog.locator('#pledge-shipments-note'), 'No shipments you may see.');
    await expectText(dialog.locator('#pledge-history tbody'), 'accepted 0 → 2,352');
    expect(await dialog.locator('#pledge-history tbody').textContent()).not.toContain('allocated');
    expect(problems.filter((problem) => problem.startsWith('exception'))).toEqual([]);
  });

  it('reads an open page again when a live update changes its pledge, keeping it shown meanwhile', async () => {
    const page = await logIn('admin');
    const problems = pageProblems(page);
    await page.getByRole('button', { name: `Page of pledge ${pledge.pledgeId}` }).click();
    const dialog = page.locator('#pledge-detail');
    const accepted = dialog.locator('#pledge-figures [data-figure="accepted"]');
    await expectText(accepted, '2,352');
    // A receipt folded while the page is open: its figures follow without reopening it.
    await readModel.pledge(pledge.pledgeId, { ...pledgeFigures, accepted: 2_400 });
    await expectText(accepted, '2,400');
    expect(await dialog.isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });
});

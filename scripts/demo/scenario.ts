/**
 * The demo scenario: a seeded, pure generator of the writes an operations centre would see from
 * March 2023 to the end of 2025 — the EU one-million-shells pledge running late, the Czech
 * ammunition initiative with purchased stocks held for rework, European 155 mm capacity ramping,
 * lots, allocations, shipments along real routes, receipts and stockpile reports. No I/O: the
 * publisher sends the steps, the tests read them. See README.md beside this file for the facts.
 */
import type {
  AllocatedV1,
  CapacityDeclaredV1,
  CountryCode,
  LotCompletedV1,
  LotQaChangedV1,
  PledgeAmendedV1,
  PledgeAnnouncedV1,
  ProgrammeDeclaredV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentLostV1,
  ShipmentMilestoneV1,
  StockpileLevelReportedV1,
} from '@tracker/contracts';
import { inboundShipmentsTopic } from '@tracker/contracts';
import { SeededRandom } from '@tracker/runtime';

const DAY = 86_400_000;

/** The event type each step amounts to, with its full payload (ids included). */
export type StepEvent =
  | { type: 'tracker.pledge.announced.v1'; payload: PledgeAnnouncedV1 }
  | { type: 'tracker.pledge.amended.v1'; payload: PledgeAmendedV1 }
  | { type: 'tracker.production.capacity-declared.v1'; payload: CapacityDeclaredV1 }
  | { type: 'tracker.production.lot-completed.v1'; payload: LotCompletedV1 }
  | { type: 'tracker.production.lot-qa-changed.v1'; payload: LotQaChangedV1 }
  | { type: 'tracker.production.allocated.v1'; payload: AllocatedV1 }
  | { type: 'tracker.stockpile.level-reported.v1'; payload: StockpileLevelReportedV1 }
  | { type: 'tracker.shipment.dispatched.v1'; payload: ShipmentDispatchedV1 }
  | { type: 'tracker.shipment.milestone.v1'; payload: ShipmentMilestoneV1 }
  | { type: 'tracker.shipment.delivered.v1'; payload: ShipmentDeliveredV1 }
  | { type: 'tracker.shipment.lost.v1'; payload: ShipmentLostV1 };

interface StepBase {
  /** Position in the scenario, from 0. */
  readonly seq: number;
  /**
   * The party that writes this fact, as a role string of `AUTH_TOKENS` (DESIGN.md §4):
   * `donor:<CC>` for pledges, amendments and its stockpiles and for shipments from its stocks,
   * `producer:<org>` for capacity, lots, QA, allocations and the shipments of what it allocated,
   * the sender of a shipment for its milestones and losses, `recipient:<CC>` for its receipts.
   */
  readonly actor: string;
  /** Simulated time of the step (RFC 3339, UTC). */
  readonly at: string;
  /** Entity ids the step touches: a step runs only after earlier steps on the same ids. */
  readonly refs: readonly string[];
  /** One line for the log when the step is a notable moment of the story. */
  readonly story?: string;
}

/** A write through the gateway's HTTP routes. */
export type HttpStep = StepBase & {
  readonly kind: 'http';
  readonly type: StepEvent['type'];
  readonly payload: StepEvent['payload'];
  readonly method: 'POST' | 'PATCH';
  readonly path: string;
  /** The request body: the event payload without the id that the path carries. */
  readonly body: Record<string, unknown>;
  readonly idempotencyKey: string;
};

/**
 * A shipment milestone a producer system publishes straight to its own inbound topic,
 * `tracker.inbound.<org>.shipments.v1`, as `producer:<org>`.
 */
export type KafkaStep = StepBase & {
  readonly kind: 'kafka';
  readonly type: 'tracker.shipment.milestone.v1';
  readonly payload: ShipmentMilestoneV1;
  /** The contract name of the producer's inbound topic (`KAFKA_TOPIC_PREFIX` goes in front). */
  readonly topic: string;
  /** CloudEvents source: `/producers/<org>`. */
  readonly source: string;
  /** CloudEvents id, stable for a seed so that a replay is deduplicated. */
  readonly eventId: string;
};

export type Step = HttpStep | KafkaStep;

export interface ScenarioOptions {
  readonly seed?: number;
}

export interface Scenario {
  readonly seed: number;
  readonly start: string;
  readonly end: string;
  readonly steps: readonly Step[];
}

/** Simulated start: the day the EU agreed the one-million-shells pledge. */
export const SCENARIO_START = '2023-03-20T09:00:00Z';
export const SCENARIO_END = '2025-12-31T18:00:00Z';
export const EU_PROGRAMME = 'EU-1M-SHELLS';
export const CZ_PROGRAMME = 'CZ-AMMO-INITIATIVE';
export const EU_TARGET_DATE = '2024-03-20';

/**
 * The programmes the story follows, with their targets: declared by the tracker's admin before
 * the story starts (only admin declares programmes), not steps of any party. The Czech
 * initiative buys two calibres, and a programme has one item: it is followed through its
 * pledges only.
 */
export const PROGRAMME_DECLARATIONS: readonly ProgrammeDeclaredV1[] = [
  {
    programmeId: EU_PROGRAMME,
    name: 'EU plan: one million rounds of 155 mm artillery ammunition within twelve months',
    itemCode: 'AMMO-155MM',
    targetQuantity: 1_000_000,
    deadline: EU_TARGET_DATE,
    sourceUrl: 'https://www.consilium.europa.eu/en/press/press-releases/2023/03/20/',
  },
];

/** A seeded uniform source in [0, 1) for the story (`@tracker/runtime`'s generator). */
export function prng(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

const iso = (ms: number) =>
  new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000', '');
const ms = (time: string) => Date.parse(time);
const day = (time: string | number) => iso(typeof time === 'string' ? ms(time) : time).slice(0, 10);

interface Manufacturer {
  readonly org: string;
  /** Manufacturer code in MIL-STD-1168 lot numbers. */
  readonly code: string;
  readonly facility: string;
  readonly country: CountryCode;
  /** Place of dispatch. */
  readonly origin: string;
  readonly carrier: string;
  /** Days by rail/road to the hub at Rzeszów. */
  readonly transitDays: number;
  /** Share of lots put on QA hold when completed. */
  readonly holdRate: number;
}

const MANUFACTURERS: Record<string, Manufacturer> = {
  rheinmetall: {
    org: 'rheinmetall',
    code: 'RHM',
    facility: 'Unterlüß',
    country: 'DE',
    origin: 'Unterlüß, DE',
    carrier: 'DB Cargo (rail)',
    transitDays: 3,
    holdRate: 0.05,
  },
  'bae-systems': {
    org: 'bae-systems',
    code: 'BAE',
    facility: 'Glascoed',
    country: 'GB',
    origin: 'Glascoed, GB',
    carrier: 'road and ferry via Rotterdam',
    transitDays: 5,
    holdRate: 0.06,
  },
  'knds-france': {
    org: 'knds-france',
    code: 'KNDS',
    facility: 'Bourges',
    country: 'FR',
    origin: 'Bourges, FR',
    carrier: 'road',
    transitDays: 4,
    holdRate: 0.05,
  },
  nammo: {
    org: 'nammo',
    code: 'NAM',
    facility: 'Raufoss',
    country: 'NO',
    origin: 'Raufoss, NO',
    carrier: 'rail via Sweden',
    transitDays: 5,
    holdRate: 0.04,
  },
  csg: {
    org: 'csg',
    code: 'CSG',
    facility: 'purchased stocks, Czech depot',
    country: 'CZ',
    origin: 'Ostrava, CZ',
    carrier: 'rail',
    transitDays: 2,
    // About half of some purchased stocks needed rework before use.
    holdRate: 0.5,
  },
};

/** Capacity ramp of 155 mm lines: rounds a year from a date (company claims, see README). */
const CAPACITY_RAMP: ReadonlyArray<{
  org: string;
  facility: string;
  country: CountryCode;
  steps: ReadonlyArray<{ declaredAt: string; from: string; perYear: number }>;
}> = [
  {
    org: 'rheinmetall',
    facility: 'group 155 mm plants',
    country: 'DE',
    steps: [
      { declaredAt: SCENARIO_START, from: '2023-01-01', perYear: 350_000 },
      { declaredAt: '2024-02-15T10:00:00Z', from: '2024-06-01', perYear: 500_000 },
      { declaredAt: '2024-12-01T10:00:00Z', from: '2025-01-01', perYear: 700_000 },
    ],
  },
  {
    org: 'rheinmetall',
    facility: 'Unterlüß',
    country: 'DE',
    steps: [
      { declaredAt: '2025-08-27T10:00:00Z', from: '2025-08-27', perYear: 25_000 },
      { declaredAt: '2025-08-27T10:05:00Z', from: '2026-01-01', perYear: 140_000 },
      { declaredAt: '2025-08-27T10:10:00Z', from: '2027-01-01', perYear: 350_000 },
    ],
  },
  {
    org: 'bae-systems',
    facility: 'Glascoed',
    country: 'GB',
    steps: [
      { declaredAt: SCENARIO_START, from: '2023-01-01', perYear: 12_000 },
      // Eight-fold order of July 2023; Glascoed reported about six months late.
      { declaredAt: '2023-07-15T10:00:00Z', from: '2024-01-01', perYear: 96_000 },
      { declaredAt: '2024-05-01T10:00:00Z', from: '2024-07-01', perYear: 96_000 },
      { declaredAt: '2024-09-01T10:00:00Z', from: '2025-06-01', perYear: 192_000 },
    ],
  },
  {
    org: 'knds-france',
    facility: 'Bourges',
    country: 'FR',
    steps: [
      { declaredAt: SCENARIO_START, from: '2023-01-01', perYear: 60_000 },
      { declaredAt: '2024-01-10T10:00:00Z', from: '2024-01-01', perYear: 120_000 },
      { declaredAt: '2025-03-01T10:00:00Z', from: '2026-01-01', perYear: 400_000 },
    ],
  },
  {
    org: 'nammo',
    facility: 'Raufoss',
    country: 'NO',
    steps: [
      { declaredAt: SCENARIO_START, from: '2023-01-01', perYear: 30_000 },
      { declaredAt: '2024-03-01T10:00:00Z', from: '2024-06-01', perYear: 60_000 },
    ],
  },
  {
    org: 'csg',
    facility: 'licensed line in Ukraine',
    country: 'UA',
    steps: [
      { declaredAt: '2024-11-01T10:00:00Z', from: '2025-01-01', perYear: 100_000 },
      { declaredAt: '2025-06-01T10:00:00Z', from: '2026-01-01', perYear: 300_000 },
    ],
  },
];

/** A pledge and how deliveries against it unfold (cumulative shipped share by date). */
interface PledgePlan {
  readonly announced: PledgeAnnouncedV1;
  /** Piecewise-linear cumulative shipped share: [date, share], increasing. */
  readonly curve: ReadonlyArray<readonly [string, number]>;
  /** Who makes the goods; none when they come from the donor's stocks. */
  readonly manufacturers: readonly string[];
  /** Typical shipment size. */
  readonly batch: number;
  /** Where stock shipments leave from. */
  readonly depot: string;
}

const EU_SHARES: ReadonlyArray<readonly [CountryCode, number, string]> = [
  ['DE', 240_000, 'rheinmetall'],
  ['FR', 160_000, 'knds-france'],
  ['PL', 130_000, 'rheinmetall'],
  ['NL', 110_000, 'rheinmetall'],
  ['DK', 90_000, 'nammo'],
  ['SE', 80_000, 'nammo'],
  ['CZ', 70_000, 'csg'],
  ['FI', 60_000, 'nammo'],
  ['BE', 60_000, 'knds-france'],
];

/** 30 % from stocks by late 2023, 52 % by the March 2024 target, 1 million shipped in November 2024. */
const EU_CURVE: ReadonlyArray<readonly [string, number]> = [
  ['2023-04-10', 0],
  ['2023-12-01', 0.3],
  ['2024-03-20', 0.52],
  ['2024-11-15', 1],
];

const DEPOTS: Partial<Record<CountryCode, string>> = {
  DE: 'Unterlüß, DE',
  PL: 'Nowa Dęba, PL',
  FR: 'Bourges, FR',
  NL: 'Soesterberg, NL',
  CZ: 'Ostrava, CZ',
  DK: 'Hvalsø, DK',
  SE: 'Karlskoga, SE',
  NO: 'Raufoss, NO',
  FI: 'Lapua, FI',
  BE: 'Zeebrugge, BE',
  GB: 'Glascoed, GB',
  US: 'Ramstein, DE',
};

function pledgePlans(): PledgePlan[] {
  const plans: PledgePlan[] = [];
  const base = {
    recipient: 'UA' as CountryCode,
    purpose: 'aid' as const,
  };
  for (const [donor, quantity, maker] of EU_SHARES) {
    // Track 1 (stocks) carries 2023; track 2 (joint procurement / new production) the rest.
    const stock = Math.round((quantity * 0.35) / 1000) * 1000;
    plans.push({
      announced: {
        ...base,
        pledgeId: `${donor}:EU1M:stock`,
        donor,
        itemCode: 'AMMO-155MM',
        quantity: stock,
        announcedAt: '2023-03-20T12:00:00Z',
        targetDate: EU_TARGET_DATE,
        sourcing: 'stock',
        programme: EU_PROGRAMME,
        confidence: 'official',
        reference: 'Council agreement of 20 March 2023, track 1',
      },
      curve: [
        ['2023-04-10', 0],
        ['2023-12-01', 0.86],
        ['2024-03-20', 0.96],
        ['2024-06-30', 1],
      ],
      manufacturers: [],
      batch: 3_000,
      depot: DEPOTS[donor] ?? `${donor} depot`,
    });
    plans.push({
      announced: {
        ...base,
        pledgeId: `${donor}:EU1M:production`,
        donor,
        itemCode: 'AMMO-155MM',
        quantity: quantity - stock,
        announcedAt: '2023-03-20T12:05:00Z',
        targetDate: EU_TARGET_DATE,
        sourcing: 'procurement',
        programme: EU_PROGRAMME,
        confidence: 'official',
        reference: 'Council agreement of 20 March 2023, tracks 2 and 3',
      },
      curve: [
        ['2023-08-01', 0],
        ['2023-12-01', 0.04],
        ['2024-03-20', 0.26],
        ['2024-11-15', 1],
      ],
      manufacturers: [maker],
      batch: 4_000,
      depot: DEPOTS[donor] ?? `${donor} depot`,
    });
  }
  const other = (
    pledgeId: string,
    donor: CountryCode,
    itemCode: string,
    quantity: number,
    announcedAt: string,
    targetDate: string,
    curve: PledgePlan['curve'],
    manufacturers: string[],
    batch: number,
    extra: Partial<PledgeAnnouncedV1> = {},
  ): PledgePlan => ({
    announced: {
      ...base,
      pledgeId,
      donor,
      itemCode,
      quantity,
      announcedAt,
      targetDate,
      sourcing: manufacturers.length > 0 ? 'new-production' : 'stock',
      confidence: 'official',
      ...extra,
    },
    curve,
    manufacturers,
    batch,
    depot: DEPOTS[donor] ?? `${donor} depot`,
  });
  plans.push(
    other(
      'CZ:2024:CZAI-155',
      'CZ',
      'AMMO-155MM',
      500_000,
      '2024-02-17T10:00:00Z',
      '2024-12-31',
      [
        ['2024-05-20', 0],
        ['2024-06-30', 0.06],
        ['2024-12-31', 0.62],
        ['2025-04-30', 1],
      ],
      ['csg'],
      6_000,
      { sourcing: 'procurement', programme: CZ_PROGRAMME, confidence: 'contracted' },
    ),
    other(
      'CZ:2024:CZAI-152',
      'CZ',
      'AMMO-152MM',
      300_000,
      '2024-02-17T10:05:00Z',
      '2024-12-31',
      [
        ['2024-05-20', 0],
        ['2024-06-30', 0.04],
        ['2024-12-31', 0.7],
        ['2025-04-30', 1],
      ],
      ['csg'],
      6_000,
      { sourcing: 'procurement', programme: CZ_PROGRAMME, confidence: 'contracted' },
    ),
    other(
      'DE:2023:IRIS-T',
      'DE',
      'SAM-IRIS-T',
      4,
      '2023-04-05T10:00:00Z',
      '2024-06-30',
      [
        ['2023-06-01', 0],
        ['2024-09-30', 1],
      ],
      [],
      1,
    ),
    other(
      'US:2023:PAC3',
      'US',
      'SAM-PATRIOT-PAC3',
      60,
      '2023-04-20T15:00:00Z',
      '2023-12-31',
      [
        ['2023-05-01', 0],
        ['2023-12-15', 1],
      ],
      [],
      12,
    ),
    other(
      'PL:2023:MBT',
      'PL',
      'MBT',
      60,
      '2023-05-10T10:00:00Z',
      '2023-12-31',
      [
        ['2023-06-01', 0],
        ['2024-02-28', 1],
      ],
      [],
      10,
    ),
    other(
      'DK:2023:IFV',
      'DK',
      'IFV',
      40,
      '2023-05-25T10:00:00Z',
      '2024-06-30',
      [
        ['2023-07-01', 0],
        ['2024-05-30', 1],
      ],
      [],
      8,
    ),
    other(
      'SE:2023:IFV',
      'SE',
      'IFV',
      50,
      '2023-01-19T10:00:00Z',
      '2023-09-30',
      [
        ['2023-04-01', 0],
        ['2023-09-15', 1],
      ],
      [],
      10,
    ),
    other(
      'NL:2023:MBT',
      'NL',
      'MBT',
      14,
      '2023-04-12T10:00:00Z',
      '2024-03-31',
      [
        ['2023-10-01', 0],
        ['2024-10-31', 0.8],
      ],
      [],
      4,
    ),
    other(
      'GB:2023:155',
      'GB',
      'AMMO-155MM',
      100_000,
      '2023-06-01T10:00:00Z',
      '2024-06-30',
      [
        ['2023-08-01', 0],
        ['2024-12-31', 1],
      ],
      ['bae-systems'],
      4_000,
    ),
    other(
      'NO:2023:155',
      'NO',
      'AMMO-155MM',
      30_000,
      '2023-09-01T10:00:00Z',
      '2024-12-31',
      [
        ['2023-10-01', 0],
        ['2024-12-01', 1],
      ],
      ['nammo'],
      3_000,
    ),
    other(
      'PL:2024:120MM',
      'PL',
      'AMMO-120MM-MORTAR',
      40_000,
      '2024-03-01T10:00:00Z',
      '2024-12-31',
      [
        ['2024-04-01', 0],
        ['2024-12-15', 1],
      ],
      [],
      5_000,
    ),
    other(
      'US:2024:155',
      'US',
      'AMMO-155MM',
      80_000,
      '2024-04-24T18:00:00Z',
      '2025-03-31',
      [
        ['2024-05-15', 0],
        ['2025-03-01', 1],
      ],
      [],
      8_000,
    ),
    other(
      'DE:2025:155',
      'DE',
      'AMMO-155MM',
      180_000,
      '2025-02-14T10:00:00Z',
      '2025-12-31',
      [
        ['2025-03-01', 0],
        ['2025-12-20', 0.9],
      ],
      ['rheinmetall'],
      6_000,
    ),
    other(
      'FR:2025:155',
      'FR',
      'AMMO-155MM',
      60_000,
      '2025-03-10T10:00:00Z',
      '2025-12-31',
      [
        ['2025-04-01', 0],
        ['2025-12-15', 1],
      ],
      ['knds-france'],
      4_000,
    ),
    // Replenishment: refilling the donors' own stocks.
    other(
      'DE:2024:REPL-155',
      'DE',
      'AMMO-155MM',
      120_000,
      '2024-01-20T10:00:00Z',
      '2025-12-31',
      [
        ['2024-06-01', 0],
        ['2025-12-31', 0.7],
      ],
      ['rheinmetall'],
      6_000,
      { recipient: 'DE', purpose: 'replenishment', confidence: 'contracted' },
    ),
  );
  return plans;
}

function shareAt(curve: PledgePlan['curve'], time: number): number {
  if (time <= ms(curve[0][0])) return curve[0][1];
  for (let i = 1; i < curve.length; i++) {
    const [d1, s1] = curve[i];
    const t1 = ms(d1);
    if (time <= t1) {
      const [d0, s0] = curve[i - 1];
      const t0 = ms(d0);
      return s0 + ((s1 - s0) * (time - t0)) / (t1 - t0);
    }
  }
  return curve[curve.length - 1][1];
}

type Draft = Omit<HttpStep, 'seq' | 'idempotencyKey'> | Omit<KafkaStep, 'seq' | 'eventId'>;

const ROUTE = {
  hub: 'Rzeszów, PL',
  border: 'Korczowa–Krakovets border crossing, PL/UA',
  handover: 'hand-over point, UA',
};

/** The role string of donor nation `country` in `AUTH_TOKENS`. */
export const donorRole = (country: string) => `donor:${country}`;
/** The role string of producer organisation `org` in `AUTH_TOKENS`. */
export const producerRole = (org: string) => `producer:${org}`;
/** The role string of recipient nation `country` in `AUTH_TOKENS`. */
export const recipientRole = (country: string) => `recipient:${country}`;

/** The organisation of a `producer:<org>` role string; undefined for any other role. */
export function producerOrg(role: string): string | undefined {
  return role.startsWith('producer:') ? role.slice('producer:'.length) : undefined;
}

/**
 * Every role string the story acts as (`donor:DE`, `producer:rheinmetall`, `recipient:UA`…),
 * sorted: the launcher generates one token per role into `AUTH_TOKENS`. `admin` is not among
 * them: the story never writes as admin (the simulator reads dead letters as admin, see README).
 */
export function demoParties(scenario: Pick<Scenario, 'steps'> = generateScenario()): string[] {
  return [...new Set(scenario.steps.map((step) => step.actor))].sort();
}

/** The scenario for a seed: the same seed always gives the same steps. */
export function generateScenario(options: ScenarioOptions = {}): Scenario {
  const seed = options.seed ?? 2023;
  const random = prng(seed);
  const chance = (p: number) => random() < p;
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const drafts: Draft[] = [];
  const end = ms(SCENARIO_END);

  const http = (
    actor: string,
    at: number,
    event: StepEvent,
    method: 'POST' | 'PATCH',
    path: string,
    pathId: string | undefined,
    refs: string[],
    story?: string,
  ) => {
    const body: Record<string, unknown> = { ...event.payload };
    if (pathId !== undefined) delete body[pathId];
    drafts.push({ kind: 'http', actor, at: iso(at), ...event, method, path, body, refs, story });
  };

  // Capacity declarations.
  for (const line of CAPACITY_RAMP) {
    for (const step of line.steps) {
      const payload: CapacityDeclaredV1 = {
        capacityId: `cap:${line.org}:${slug(line.facility)}:155:${step.from}`,
        manufacturer: line.org,
        facility: line.facility,
        country: line.country,
        itemCode: 'AMMO-155MM',
        unitsPerMonth: Math.round(step.perYear / 12),
        effectiveFrom: step.from,
        basis: 'company-claim',
      };
      http(
        producerRole(line.org),
        ms(step.declaredAt),
        { type: 'tracker.production.capacity-declared.v1', payload },
        'POST',
        '/v1/capacity',
        undefined,
        [payload.capacityId],
        `${line.org} ${line.facility}: ${step.perYear.toLocaleString('en')} rounds/year from ${step.from} (company claim)`,
      );
    }
  }

  // Lots: numbered per manufacturer and month, MIL-STD-1168 style.
  const lotCounters = new Map<string, number>();
  const lotNumber = (maker: Manufacturer, at: number) => {
    const date = new Date(at);
    const yy = String(date.getUTCFullYear() % 100).padStart(2, '0');
    const month = 'ABCDEFGHJKLM'[date.getUTCMonth()];
    const key = `${maker.code}${yy}${month}`;
    const n = lotCounters.get(key) ?? 0;
    lotCounters.set(key, n + 1);
    const interfix = String(Math.floor(n / 999) + 1).padStart(3, '0');
    const sequence = String((n % 999) + 1).padStart(3, '0');
    return `${key}${interfix}-${sequence}`;
  };

  const stockShipped = new Map<CountryCode, number>();
  const donors = new Map<string, CountryCode>();
  const donorOf = (pledgeId: string) => {
    const donor = donors.get(pledgeId);
    if (donor === undefined) throw new Error(`no pledge ${pledgeId} in the story`);
    return donor;
  };
  let shipmentCount = 0;
  let allocationCount = 0;

  for (const plan of pledgePlans()) {
    const pledge = plan.announced;
    donors.set(pledge.pledgeId, pledge.donor);
    const announcedAt = ms(pledge.announcedAt);
    const big = pledge.quantity >= 100_000;
    // The big pledges go out first so that the dashboard fills at once.
    http(
      donorRole(pledge.donor),
      Math.max(announcedAt, ms(SCENARIO_START)),
      { type: 'tracker.pledge.announced.v1', payload: pledge },
      'POST',
      '/v1/pledges',
      undefined,
      [pledge.pledgeId],
      big || pledge.programme !== undefined
        ? `${pledge.donor} pledges ${pledge.quantity.toLocaleString('en')} × ${pledge.itemCode} to ${pledge.recipient}${pledge.programme ? ` (${pledge.programme})` : ''}, due ${pledge.targetDate}`
        : undefined,
    );

    // Shipments: every few days, whatever the curve says should have left by then.
    let shipped = 0;
    let time = Math.max(ms(plan.curve[0][0]), announcedAt + DAY);
    const interval = plan.batch >= 1000 ? 1 : 10;
    const finalShare = plan.curve[plan.curve.length - 1][1];
    while (time < end) {
      time += between(interval * 0.5, interval * 1.5) * DAY;
      const share = shareAt(plan.curve, time);
      const pending = Math.floor(share * pledge.quantity) - shipped;
      // Goods leave in batches; the remainder goes once the curve has run its course.
      if (pending <= 0 || (pending < plan.batch && share < finalShare)) continue;
      let quantity = Math.min(pending, Math.ceil(plan.batch * between(0.8, 1.4)));
      const shipmentId = `SHP-${day(time).replace(/-/g, '')}-${String(++shipmentCount).padStart(4, '0')}`;
      const makerOrg =
        plan.manufacturers.length === 0
          ? undefined
          : plan.manufacturers[Math.floor(random() * plan.manufacturers.length)];
      const maker = makerOrg === undefined ? undefined : MANUFACTURERS[makerOrg];
      let dispatchAt = time;
      const lotIds: string[] = [];

      if (maker !== undefined) {
        // The goods are made (or bought) in lots, pass QA, and are allocated to the pledge.
        let remaining = quantity;
        while (remaining > 0) {
          const completedAt = time - between(6, 14) * DAY;
          const lotId = lotNumber(maker, completedAt);
          const lotQuantity = Math.max(
            remaining,
            Math.ceil(Math.min(remaining * between(1, 1.25), 10_000)),
          );
          const allocated = Math.min(remaining, lotQuantity);
          const held = chance(maker.holdRate);
          const rejected = held && chance(0.15);
          const lot: LotCompletedV1 = {
            lotId,
            manufacturer: maker.org,
            facility: maker.facility,
            itemCode: pledge.itemCode,
            quantity: lotQuantity,
            completedAt: iso(completedAt),
            qaStatus: held ? 'hold' : 'passed',
          };
          http(
            producerRole(maker.org),
            completedAt,
            { type: 'tracker.production.lot-completed.v1', payload: lot },
            'POST',
            '/v1/lots',
            undefined,
            [lotId],
            held
              ? `lot ${lotId} (${maker.org}, ${lotQuantity} × ${pledge.itemCode}) on QA hold`
              : undefined,
          );
          let passedAt = completedAt + between(0.2, 1) * DAY;
          if (held) {
            const reworkDays = maker.org === 'csg' ? between(20, 45) : between(7, 20);
            passedAt = completedAt + reworkDays * DAY;
            const qa: LotQaChangedV1 = rejected
              ? { lotId, qaStatus: 'rejected', reason: 'fuzes out of tolerance after rework' }
              : {
                  lotId,
                  qaStatus: 'passed',
                  reason:
                    maker.org === 'csg'
                      ? 'purchased stock reworked: repacked, fuzes and charges replaced'
                      : 'rework complete, re-inspected',
                };
            http(
              producerRole(maker.org),
              passedAt,
              { type: 'tracker.production.lot-qa-changed.v1', payload: qa },
              'POST',
              `/v1/lots/${encodeURIComponent(lotId)}/qa`,
              'lotId',
              [lotId],
              `lot ${lotId} ${qa.qaStatus} after ${Math.round(reworkDays)} days: ${qa.reason}`,
            );
            if (rejected) continue; // a replacement lot follows
          }
          const allocationId = `ALLOC-${String(++allocationCount).padStart(5, '0')}`;
          const allocation: AllocatedV1 = {
            allocationId,
            lotId,
            pledgeId: pledge.pledgeId,
            quantity: allocated,
          };
          const allocatedAt = passedAt + between(0.1, 1) * DAY;
          http(
            producerRole(maker.org),
            allocatedAt,
            { type: 'tracker.production.allocated.v1', payload: allocation },
            'POST',
            '/v1/allocations',
            undefined,
            [allocationId, lotId, pledge.pledgeId],
          );
          dispatchAt = Math.max(dispatchAt, allocatedAt + between(0.5, 2) * DAY);
          lotIds.push(lotId);
          remaining -= allocated;
        }
      } else if (pledge.sourcing === 'stock') {
        stockShipped.set(pledge.donor, (stockShipped.get(pledge.donor) ?? 0) + quantity);
      }
      if (dispatchAt >= end) break;

      // Producers ship what they made and allocated; donors ship from their own stocks.
      const sender = maker === undefined ? donorRole(pledge.donor) : producerRole(maker.org);
      const origin = maker?.origin ?? plan.depot;
      const transitDays = maker?.transitDays ?? between(2, 5);
      const etaAt = dispatchAt + (transitDays + 2) * DAY;
      const dispatched: ShipmentDispatchedV1 = {
        shipmentId,
        pledgeId: pledge.pledgeId,
        itemCode: pledge.itemCode,
        quantity,
        origin,
        destination: ROUTE.handover,
        dispatchedAt: iso(dispatchAt),
        eta: iso(etaAt),
        ...(lotIds.length > 0 ? { lotIds } : {}),
        carrier: maker?.carrier ?? 'military convoy (road)',
      };
      http(
        sender,
        dispatchAt,
        { type: 'tracker.shipment.dispatched.v1', payload: dispatched },
        'POST',
        '/v1/shipments',
        undefined,
        [shipmentId, pledge.pledgeId],
        big && chance(0.1)
          ? `${shipmentId}: ${quantity.toLocaleString('en')} × ${pledge.itemCode} for ${pledge.pledgeId} leaves ${origin}`
          : undefined,
      );

      shipped += quantity;
      // The last EU shipment of each pledge has rejects: the programme never closes in full.
      const finalEu = pledge.programme === EU_PROGRAMME && shipped >= pledge.quantity;
      const late = chance(0.12);
      const delay = late ? between(4, 12) * DAY : 0;
      const lost = !finalEu && chance(0.015);
      // Producers' own systems report the first legs straight to Kafka about half of the time.
      const viaKafka = maker !== undefined && chance(0.5);
      // shipment-service takes no milestone after a loss was reported, only the receipt.
      let lossReported = false;
      const milestone = (
        at: number,
        status: ShipmentMilestoneV1['status'],
        location: string,
        eta?: number,
        story?: string,
      ) => {
        if (lossReported) return;
        const payload: ShipmentMilestoneV1 = {
          shipmentId,
          status,
          location,
          at: iso(at),
          ...(eta !== undefined ? { eta: iso(eta) } : {}),
        };
        if (viaKafka && maker !== undefined && (status === 'in-transit' || status === 'at-hub')) {
          drafts.push({
            kind: 'kafka',
            actor: sender,
            topic: inboundShipmentsTopic(maker.org),
            at: iso(at),
            type: 'tracker.shipment.milestone.v1',
            payload,
            source: `/producers/${maker.org}`,
            refs: [shipmentId],
            story,
          });
        } else {
          http(
            sender,
            at,
            { type: 'tracker.shipment.milestone.v1', payload },
            'POST',
            `/v1/shipments/${encodeURIComponent(shipmentId)}/milestones`,
            'shipmentId',
            [shipmentId],
            story,
          );
        }
      };
      const departed = dispatchAt + between(0.1, 0.5) * DAY;
      milestone(departed, 'in-transit', origin);
      if (lost) {
        const lostQuantity = chance(0.5) ? quantity : Math.ceil(quantity * between(0.1, 0.4));
        const loss: ShipmentLostV1 = {
          shipmentId,
          quantity: lostQuantity,
          reason: chance(0.5)
            ? 'rail wagon destroyed by a strike near the border'
            : 'truck fire en route',
        };
        const lossAt = departed + between(1, transitDays) * DAY;
        http(
          sender,
          lossAt,
          { type: 'tracker.shipment.lost.v1', payload: loss },
          'POST',
          `/v1/shipments/${encodeURIComponent(shipmentId)}/loss`,
          'shipmentId',
          [shipmentId],
          `${shipmentId}: ${lostQuantity.toLocaleString('en')} of ${quantity.toLocaleString('en')} × ${pledge.itemCode} lost (${loss.reason})`,
        );
        if (lostQuantity === quantity) continue;
        quantity -= lostQuantity;
        lossReported = true;
      }
      const atHub = departed + transitDays * DAY + delay;
      milestone(
        atHub,
        'at-hub',
        ROUTE.hub,
        late ? atHub + 2 * DAY : undefined,
        delay >= 8 * DAY
          ? `${shipmentId} late: at ${ROUTE.hub} ${Math.round(delay / DAY)} days behind its eta`
          : undefined,
      );
      const crossed = atHub + between(0.5, 1.5) * DAY;
      milestone(crossed, 'border-crossed', ROUTE.border);
      const handedOver = crossed + between(0.3, 1) * DAY;
      milestone(handedOver, 'handed-over', ROUTE.handover);
      const rejected = finalEu || chance(0.08) ? Math.ceil(quantity * between(0.01, 0.06)) : 0;
      const receivedAt = handedOver + between(0.1, 0.5) * DAY;
      const delivery: ShipmentDeliveredV1 = {
        shipmentId,
        receivedQuantity: quantity,
        acceptedQuantity: quantity - rejected,
        ...(rejected > 0
          ? {
              rejectedQuantity: rejected,
              rejectionReason: (['damaged', 'incompatible', 'quality'] as const)[
                Math.floor(random() * 3)
              ],
            }
          : {}),
        receivedAt: iso(receivedAt),
      };
      http(
        recipientRole(pledge.recipient),
        receivedAt,
        { type: 'tracker.shipment.delivered.v1', payload: delivery },
        'POST',
        `/v1/shipments/${encodeURIComponent(shipmentId)}/delivery`,
        'shipmentId',
        [shipmentId],
        rejected >= 100 || (finalEu && rejected > 0)
          ? `${shipmentId} received: ${rejected.toLocaleString('en')} of ${quantity.toLocaleString('en')} rejected (${delivery.rejectionReason})`
          : undefined,
      );
    }
  }

  // Amendments: the Czech 152 mm deliveries run into 2025; Germany adds an IRIS-T system.
  const amend = (at: string, payload: PledgeAmendedV1) =>
    http(
      donorRole(donorOf(payload.pledgeId)),
      ms(at),
      { type: 'tracker.pledge.amended.v1', payload },
      'PATCH',
      `/v1/pledges/${encodeURIComponent(payload.pledgeId)}`,
      'pledgeId',
      [payload.pledgeId],
      `${payload.pledgeId} amended: ${payload.reason}`,
    );
  amend('2024-10-15T10:00:00Z', {
    pledgeId: 'CZ:2024:CZAI-152',
    targetDate: '2025-04-30',
    reason: 'deliveries of purchased stocks continue into 2025',
  });
  amend('2023-10-10T10:00:00Z', {
    pledgeId: 'DE:2023:IRIS-T',
    quantity: 5,
    reason: 'one more IRIS-T SLM fire unit added',
  });

  // Stockpiles: monthly 155 mm levels, drawn down by donations from stock and slowly refilled.
  const STOCKPILES: ReadonlyArray<readonly [CountryCode, number, number]> = [
    ['DE', 180_000, 150_000],
    ['FR', 120_000, 100_000],
    ['PL', 110_000, 90_000],
    ['NL', 70_000, 50_000],
    ['DK', 45_000, 40_000],
    ['SE', 60_000, 45_000],
    ['CZ', 50_000, 35_000],
    ['FI', 160_000, 120_000],
    ['BE', 35_000, 30_000],
  ];
  // Cumulative stock shipments are known only in total; spread them along the EU curve.
  for (const [nation, initial, minimum] of STOCKPILES) {
    const donated = stockShipped.get(nation) ?? 0;
    let previous: boolean | undefined;
    for (let month = new Date(SCENARIO_START); month.getTime() < end;) {
      const at = Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1, 8);
      month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
      if (at < ms(SCENARIO_START)) continue;
      const months = (at - ms(SCENARIO_START)) / (30 * DAY);
      const refill = Math.round(initial * 0.012 * months);
      const drawn = Math.round(donated * Math.min(1, shareAt(EU_CURVE, at) / 0.52));
      const quantity = Math.max(0, initial - drawn + refill + Math.round(between(-2000, 2000)));
      const below = quantity < minimum;
      const report: StockpileLevelReportedV1 = {
        nation,
        itemCode: 'AMMO-155MM',
        quantity,
        minimumRequired: minimum,
        at: iso(at),
      };
      http(
        donorRole(nation),
        at,
        { type: 'tracker.stockpile.level-reported.v1', payload: report },
        'POST',
        '/v1/stockpiles',
        undefined,
        [`${nation}:AMMO-155MM`],
        below !== previous && (below || previous !== undefined)
          ? `${nation} 155 mm stockpile ${below ? 'below' : 'back above'} minimum: ${quantity.toLocaleString('en')} / ${minimum.toLocaleString('en')}`
          : undefined,
      );
      previous = below;
    }
  }

  // Order by simulated time; at the same time, pledges and capacities first.
  const priority = (draft: Draft) =>
    draft.type === 'tracker.pledge.announced.v1'
      ? 0
      : draft.type === 'tracker.production.capacity-declared.v1'
        ? 1
        : 2;
  const ordered = drafts
    .map((draft, index) => ({ draft, index }))
    .sort(
      (a, b) =>
        ms(a.draft.at) - ms(b.draft.at) ||
        priority(a.draft) - priority(b.draft) ||
        a.index - b.index,
    );
  const steps: Step[] = ordered.map(({ draft }, seq) =>
    draft.kind === 'http'
      ? { ...draft, seq, idempotencyKey: `demo-${seed}-${seq}-${draft.type.split('.')[2]}` }
      : { ...draft, seq, eventId: uuidFrom(random) },
  );
  return { seed, start: SCENARIO_START, end: SCENARIO_END, steps };
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/** A UUID-shaped (version 4 layout) id drawn from the seeded generator. */
function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export interface SliceOptions {
  /** The pledges whose story to keep. */
  readonly pledges: readonly string[];
  /** Shipments kept per pledge, the first ones (default 3). */
  readonly shipmentsPerPledge?: number;
}

/**
 * A short, self-contained part of the story for tests and trials: the pledges named, their first
 * shipments with everything they ride on (lots, QA, allocations) and everything that follows
 * them (milestones, losses, receipts), amendments of those pledges, the capacity declarations of
 * the producers involved and the first stockpile report of each donor. Steps keep their order,
 * numbers, keys and event ids.
 */
export function sliceScenario(scenario: Scenario, options: SliceOptions): Scenario {
  const pledges = new Set(options.pledges);
  const perPledge = options.shipmentsPerPledge ?? 3;
  const shipments = new Set<string>();
  const lots = new Set<string>();
  const count = new Map<string, number>();
  const donors = new Set<string>();
  const producers = new Set<string>();
  for (const step of scenario.steps) {
    if (step.type === 'tracker.pledge.announced.v1') {
      const pledge = step.payload as PledgeAnnouncedV1;
      if (pledges.has(pledge.pledgeId)) donors.add(pledge.donor);
    }
    if (step.type !== 'tracker.shipment.dispatched.v1') continue;
    const dispatch = step.payload as ShipmentDispatchedV1;
    if (!pledges.has(dispatch.pledgeId)) continue;
    const n = count.get(dispatch.pledgeId) ?? 0;
    if (n >= perPledge) continue;
    count.set(dispatch.pledgeId, n + 1);
    shipments.add(dispatch.shipmentId);
    for (const lotId of dispatch.lotIds ?? []) lots.add(lotId);
    const org = producerOrg(step.actor);
    if (org !== undefined) producers.add(org);
  }
  const stockpiles = new Set<string>();
  const keep = (step: Step): boolean => {
    const p = step.payload as unknown as Record<string, unknown>;
    switch (step.type) {
      case 'tracker.pledge.announced.v1':
      case 'tracker.pledge.amended.v1':
        return pledges.has(String(p.pledgeId));
      case 'tracker.production.capacity-declared.v1':
        return producers.has(String(p.manufacturer));
      case 'tracker.production.lot-completed.v1':
      case 'tracker.production.lot-qa-changed.v1':
        return lots.has(String(p.lotId));
      case 'tracker.production.allocated.v1':
        return lots.has(String(p.lotId)) && pledges.has(String(p.pledgeId));
      case 'tracker.stockpile.level-reported.v1': {
        const nation = String(p.nation);
        if (!donors.has(nation) || stockpiles.has(nation)) return false;
        stockpiles.add(nation);
        return true;
      }
      case 'tracker.shipment.dispatched.v1':
      case 'tracker.shipment.milestone.v1':
      case 'tracker.shipment.delivered.v1':
      case 'tracker.shipment.lost.v1':
        return shipments.has(String(p.shipmentId));
    }
  };
  return { ...scenario, steps: scenario.steps.filter(keep) };
}

import {
  AlertValue,
  BatchWrite,
  EMPTY_BATCH_WRITE,
  type UnnumberedHistoryEntry,
  CAPACITY_FIELD,
  capacityBasisField,
  contributionIncrements,
  createReadModelReader,
  FeedEntry,
  PledgeContribution,
  PledgeStatus,
  ReadModelReader,
  ReadModelWriter,
  itemKey,
  KeySpace as ReadModelKeys,
  PRODUCED_FIELD,
  programmeDeclarationField,
  programmeKey,
  programmeMonthField,
  PUBLIC_LEDGER_SUFFIX,
  PublicFact,
  stockpileField,
} from '@tracker/read-model';
import { TestRedis } from '@tracker/testing';
import type Redis from 'ioredis';

export interface PledgeFacts {
  readonly donor?: string;
  /** `UA` unless given. */
  readonly recipient?: string;
  readonly itemCode?: string;
  readonly pledged: number;
  readonly accepted?: number;
  /** 0 and `accepted` unless given. */
  readonly allocated?: number;
  readonly shipped?: number;
  readonly status?: PledgeStatus;
  readonly targetDate?: string;
  /** The estimated completion date, as the projection would forecast it. */
  readonly forecastDate?: string;
  readonly daysLate?: number;
  /** The programme the pledge counts towards. */
  readonly programme?: string;
}

interface StoredPledge {
  readonly donor: string;
  readonly itemCode: string;
  readonly programme?: string;
  readonly contribution: PledgeContribution;
  readonly rev: number;
}

/** Where a read model lives: a Redis key prefix and clients that use it. */
export interface KeySpace {
  readonly prefix: string;
  client(): Redis;
  cleanup(): Promise<void>;
}

/**
 * The read-model namespace of every fixture: not the default, so that a gateway under test reads
 * it only if it honours `READ_MODEL_NAMESPACE` (the harness sets it).
 */
export const FIXTURE_NAMESPACE = 'gateway-test';

let eventNumber = 0;

/**
 * The real read model in a Redis key space of the suite's own, written through the projection's
 * own `ReadModelWriter` — the same atomic step, change stream and epochs the projection uses —
 * with small helpers that write what a folded event would.
 */
export class ReadModelFixture {
  readonly reader: ReadModelReader;
  private readonly pledges = new Map<string, StoredPledge>();
  private building = false;
  /** The client the public ledger is written with, made on first use. */
  private ledger?: Redis;

  private constructor(
    readonly redis: KeySpace,
    private readonly writer: ReadModelWriter,
    private epoch: string,
  ) {
    this.reader = createReadModelReader(redis.client(), { namespace: FIXTURE_NAMESPACE });
  }

  static create(label: string, options: { streamMaxLength?: number } = {}) {
    return ReadModelFixture.open(new TestRedis(label), options);
  }

  /** The read model in a key space another process made (the benchmark's writer). */
  static async open(redis: KeySpace, options: { streamMaxLength?: number } = {}) {
    const writer = new ReadModelWriter(redis.client(), {
      ...options,
      namespace: FIXTURE_NAMESPACE,
    });
    const { epoch } = await writer.startEpoch();
    return new ReadModelFixture(redis, writer, epoch);
  }

  /** A client of the suite's key space, for a gateway to use as its shared Redis client. */
  client(): Redis {
    return this.redis.client();
  }

  /** Writes a pledge's new state: its channel, its donor's, its item's and the overview. */
  async pledge(pledgeId: string, facts: PledgeFacts, causeId = `event-${++eventNumber}`) {
    const donor = facts.donor ?? 'DE';
    const itemCode = facts.itemCode ?? 'AMMO-155MM';
    const accepted = facts.accepted ?? 0;
    const status: PledgeStatus =
      facts.status ?? (accepted >= facts.pledged ? 'delivered' : 'announced');
    const contribution: PledgeContribution = {
      totals: {
        pledged: facts.pledged,
        allocated: facts.allocated ?? 0,
        shipped: facts.shipped ?? accepted,
        received: accepted,
        accepted,
        rejected: 0,
        lost: 0,
        outstanding: facts.pledged - accepted,
      },
      status,
    };
    const before = this.pledges.get(pledgeId);
    const value = {
      kind: 'pledge',
      pledgeId,
      donor,
      recipient: facts.recipient ?? 'UA',
      itemCode,
      status,
      ...contribution.totals,
      targetDate: facts.targetDate ?? null,
      programme: facts.programme ?? null,
      daysLate: facts.daysLate ?? null,
      forecast: facts.forecastDate
        ? {
            completionDate: facts.forecastDate,
            daysLate: facts.daysLate ?? null,
            basis: 'allocated-output',
            ratePerMonth: 1000,
            estimate: true,
          }
        : null,
    };
    const cause = {
      id: causeId,
      type: 'tracker.pledge.amended.v1',
      time: new Date().toISOString(),
    };
    await this.apply({
      docs: [
        {
          key: `pledge:${pledgeId}`,
          rev: String(before?.rev ?? 0),
          doc: '{}',
          value: JSON.stringify(value),
        },
      ],
      increments: contributionIncrements(before, {
        donor,
        itemCode,
        programme: facts.programme,
        contribution,
      }),
      emits: [
        'overview',
        `donor:${donor}`,
        `item:${itemCode}`,
        `pledge:${pledgeId}`,
        ...(facts.programme ? [`programme:${facts.programme}`] : []),
      ].map((channel) => ({ channel, cause })),
    });
    this.pledges.set(pledgeId, {
      donor,
      itemCode,
      programme: facts.programme,
      contribution,
      rev: (before?.rev ?? 0) + 1,
    });
  }

  /** A programme's declaration, as the projection sets it in the programme's hash. */
  async declareProgramme(declaration: {
    programmeId: string;
    name: string;
    itemCode: string;
    targetQuantity: number;
    deadline: string;
  }): Promise<void> {
    const key = programmeKey(declaration.programmeId);
    const parts = [
      ['name', declaration.name],
      ['item', declaration.itemCode],
      ['target', String(declaration.targetQuantity)],
      ['deadline', declaration.deadline],
      ['at', new Date().toISOString()],
    ] as const;
    await this.apply({
      fields: parts.map(([part, value]) => ({
        key,
        field: programmeDeclarationField(part),
        value,
      })),
      emits: [
        {
          channel: `programme:${declaration.programmeId}`,
          cause: this.cause('tracker.programme.declared.v1'),
        },
      ],
    });
  }

  /** Quantity of a programme pledged (`p`) or delivered (`d`) in a month (`YYYY-MM`). */
  async programmeMonth(programmeId: string, month: string, measure: 'p' | 'd', quantity: number) {
    await this.apply({
      increments: [
        {
          key: programmeKey(programmeId),
          field: programmeMonthField(month, measure),
          delta: quantity,
        },
      ],
      emits: [
        { channel: `programme:${programmeId}`, cause: this.cause('tracker.pledge.announced.v1') },
      ],
    });
  }

  /** Appends an entry to a pledge's history, as the projection's step does. */
  async history(pledgeId: string, entry: UnnumberedHistoryEntry): Promise<void> {
    await this.apply({ history: [{ pledgeId, entry }] });
  }

  /** Opens (or, with `null`, clears) an alert. */
  async alert(alertId: string, value: AlertValue | null): Promise<void> {
    const cause = {
      id: `event-${++eventNumber}`,
      type: 'tracker.alert.raised.v1',
      time: new Date().toISOString(),
    };
    await this.apply({ alerts: [{ alertId, value }], emits: [{ channel: 'alerts', cause }] });
  }

  /** A line's declared monthly capacity (added to what the item has). */
  async capacity(itemCode: string, unitsPerMonth: number, basis = 'company-claim') {
    const key = itemKey(itemCode);
    await this.apply({
      increments: [
        { key, field: CAPACITY_FIELD, delta: unitsPerMonth },
        { key, field: capacityBasisField(basis), delta: unitsPerMonth },
      ],
      emits: [
        {
          channel: `item:${itemCode}`,
          cause: this.cause('tracker.production.capacity-declared.v1'),
        },
      ],
    });
  }

  /** Output of one day (a completed lot). */
  async produced(itemCode: string, date: string, quantity: number): Promise<void> {
    await this.apply({
      increments: [{ key: itemKey(itemCode), field: PRODUCED_FIELD, delta: quantity }],
      series: [{ itemCode, date, measure: 'p', delta: quantity }],
      emits: [
        { channel: `item:${itemCode}`, cause: this.cause('tracker.production.lot-completed.v1') },
      ],
    });
  }

  async stockpile(nation: string, itemCode: string, quantity: number, minimum: number) {
    const key = itemKey(itemCode);
    const at = new Date().toISOString();
    await this.apply({
      fields: [
        { key, field: stockpileField(nation, 'q'), value: String(quantity) },
        { key, field: stockpileField(nation, 'min'), value: String(minimum) },
        { key, field: stockpileField(nation, 'at'), value: at },
      ],
      emits: [
        { channel: `item:${itemCode}`, cause: this.cause('tracker.stockpile.level-reported.v1') },
      ],
    });
  }

  async feed(entry: FeedEntry): Promise<void> {
    const cause = { id: entry.id, type: entry.type, time: entry.time };
    await this.apply({
      feed: [{ entry, timeMs: Date.parse(entry.time) }],
      emits: [{ channel: 'feed', cause }],
    });
  }

  /**
   * Adds `fact` to the public ledger of the current epoch as the projection would, recorded at
   * `recordedMs`: ZADD `{<ns>}:<epoch>:public` with the fact's JSON (libs/read-model
   * public-ledger.ts). A fact is a plain object here: a test may slip in what must never show.
   */
  async publicFact(fact: PublicFact | Record<string, unknown>, recordedMs: number): Promise<void> {
    this.ledger ??= this.client();
    const keys = new ReadModelKeys(this.ledger, FIXTURE_NAMESPACE);
    const key = `${keys.epochPrefix(this.epoch)}${PUBLIC_LEDGER_SUFFIX}`;
    await this.ledger.zadd(key, recordedMs, JSON.stringify(fact));
  }

  /** A rebuild: a new epoch that replays every pledge, made current in one step. */
  async rebuild(): Promise<void> {
    this.epoch = await this.writer.beginBuild();
    this.building = true;
    const pledges = [...this.pledges];
    this.pledges.clear();
    for (const [pledgeId, { donor, itemCode, programme, contribution }] of pledges) {
      const { pledged, accepted } = contribution.totals;
      await this.pledge(pledgeId, { donor, itemCode, programme, pledged, accepted });
    }
    await this.writer.switchTo(this.epoch);
    this.building = false;
  }

  /** What the read model holds now for `channels`, and the cursor of that state. */
  snapshot(channels: readonly string[]) {
    return this.reader.snapshot(channels);
  }

  cleanup(): Promise<void> {
    return this.redis.cleanup();
  }

  private cause(type: string) {
    return { id: `event-${++eventNumber}`, type, time: new Date().toISOString() };
  }

  private async apply(write: Partial<BatchWrite>): Promise<void> {
    const result = await this.writer.apply(this.epoch, {
      ...EMPTY_BATCH_WRITE,
      ...write,
      live: !this.building,
    });
    if (result.kind !== 'ok')
      throw new Error(`read model refused the write: ${JSON.stringify(result)}`);
  }
}

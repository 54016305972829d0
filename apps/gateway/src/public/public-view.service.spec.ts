import { loadConfig } from '@tracker/config';
import {
  PublicFact,
  PublicLedgerMark,
  PublicPledge,
  ReadModelReader,
  RecordedPublicFact,
} from '@tracker/read-model';
import { cutoffOf, pageOf, PublicViewService } from './public-view.service';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-07-01T12:00:30Z');

const announced = (pledgeId: string, donor = 'DE'): PublicFact => ({
  k: 'announced',
  id: `a-${pledgeId}`,
  t: '2026-05-02T08:00:00Z',
  pledge: {
    pledgeId,
    donor,
    recipient: 'UA',
    itemCode: 'AMMO-155MM',
    quantity: 10,
    announcedAt: '2026-05-02T08:00:00Z',
    purpose: 'military-aid',
    sourcing: 'stock',
    confidence: 'official',
  },
});

/** The public ledger in memory, counting how often it is read whole. */
class Ledger {
  readonly facts: RecordedPublicFact[] = [];
  reads = 0;
  failing = false;

  private upTo(untilMs: number): RecordedPublicFact[] {
    return this.facts.filter((fact) => fact.recordedMs <= untilMs);
  }

  reader(): ReadModelReader {
    return {
      publicFacts: (untilMs: number) => {
        this.reads += 1;
        if (this.failing) return Promise.reject(new Error('Redis is away'));
        return Promise.resolve(this.upTo(untilMs));
      },
      publicLedgerMark: (untilMs: number): Promise<PublicLedgerMark> => {
        const facts = this.upTo(untilMs);
        return Promise.resolve({ count: facts.length, lastMs: facts.at(-1)?.recordedMs ?? null });
      },
    } as Partial<ReadModelReader> as ReadModelReader;
  }
}

describe('the public view service', () => {
  let ledger: Ledger;
  let now: number;
  let service: PublicViewService;

  beforeEach(() => {
    ledger = new Ledger();
    ledger.facts.push({ fact: announced('p-1'), recordedMs: NOW - 40 * DAY_MS });
    now = NOW;
    service = new PublicViewService(ledger.reader(), loadConfig('gateway', {}), () => now);
  });

  it('cuts 30 days back, down to the whole minute', async () => {
    expect(cutoffOf(NOW, 30)).toBe(Date.parse('2026-06-01T12:00:00Z'));
    expect(cutoffOf(NOW, 0)).toBe(Date.parse('2026-07-01T12:00:00Z'));
    expect((await service.summary()).asOf).toBe('2026-06-01T12:00:00.000Z');
  });

  it('folds once for any number of requests, concurrent or not, while the ledger stays', async () => {
    await Promise.all(Array.from({ length: 50 }, () => service.summary()));
    await service.pledges({ limit: 100 });
    now += 10 * 60_000;
    await service.summary();
    expect(ledger.reads).toBe(1);
  });

  it('folds again when a fact reaches the cutoff, or the date of the cutoff changes', async () => {
    ledger.facts.push({ fact: announced('p-2'), recordedMs: NOW - 11 * DAY_MS });
    expect((await service.summary()).totals.pledged).toBe(10);
    now += 20 * DAY_MS;
    expect((await service.summary()).totals.pledged).toBe(20);
    expect(ledger.reads).toBe(2);
    now += DAY_MS;
    await service.summary();
    expect(ledger.reads).toBe(3);
  });

  it('keeps no failed fold', async () => {
    ledger.failing = true;
    await expect(service.summary()).rejects.toThrow('Redis is away');
    ledger.failing = false;
    expect((await service.summary()).totals.pledged).toBe(10);
  });

  describe(pageOf.name, () => {
    const pledge = (pledgeId: string, donor: string) =>
      ({ pledgeId, donor, itemCode: 'MBT', status: 'announced' }) as PublicPledge;
    const pledges = [pledge('a', 'DE'), pledge('b', 'FR'), pledge('c', 'DE'), pledge('d', 'DE')];
    const ids = (page: { items: PublicPledge[] }) => page.items.map((item) => item.pledgeId);

    it('pages after a pledge id and says where the next page begins', () => {
      const first = pageOf(pledges, { limit: 2, donor: 'DE' });
      expect([ids(first), first.next]).toEqual([['a', 'c'], 'c']);
      const last = pageOf(pledges, { limit: 2, donor: 'DE', after: first.next });
      expect([ids(last), last.next]).toEqual([['d'], undefined]);
    });

    it('gives no next when the page ends exactly at the last pledge', () => {
      expect(pageOf(pledges, { limit: 4 }).next).toBeUndefined();
      expect(pageOf(pledges, { limit: 3 }).next).toBe('c');
    });
  });
});

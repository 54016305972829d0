import { validate as isUuid, version as uuidVersion } from 'uuid';
import { buildEvent } from './build-event';
import { parse } from './codec';
import { PledgeAnnouncedV1 } from './pledge.v1';
import { StockpileLevelReportedV1 } from './stockpile.v1';
import { TOPICS } from './topics';
import { ContractViolationError } from './violation';

const announcement: PledgeAnnouncedV1 = {
  pledgeId: '0186fee3-fe00-7129-af1e-7e2b08aa9c2e',
  donor: 'DE',
  recipient: 'UA',
  itemCode: 'AMMO-155MM',
  quantity: 100000,
  announcedAt: '2023-03-20T12:00:00+01:00',
  purpose: 'aid',
  sourcing: 'new-production',
  confidence: 'official',
};

function violationPaths(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof ContractViolationError) {
      return error.violation.violations.map((violation) => violation.path);
    }
    throw error;
  }
  throw new Error('expected a ContractViolationError');
}

describe(buildEvent.name, () => {
  it('stamps every envelope attribute from the type and the payload', () => {
    const event = buildEvent('tracker.pledge.announced.v1', announcement, {
      source: '/pledge-service',
    });
    const { id, ...attributes } = event;
    expect(attributes).toEqual({
      specversion: '1.0',
      source: '/pledge-service',
      type: 'tracker.pledge.announced.v1',
      subject: announcement.pledgeId,
      time: announcement.announcedAt,
      datacontenttype: 'application/json',
      dataschema: 'http://localhost:3000/schemas/tracker.pledge.announced.v1.json',
      partitionkey: announcement.pledgeId,
      data: announcement,
    });
    expect(isUuid(id) && uuidVersion(id)).toBe(7);
    expect(parse(TOPICS.pledges, JSON.stringify(event), undefined, event.partitionkey).ok).toBe(
      true,
    );
  });

  it('gives every event its own time-ordered id', () => {
    const ids = Array.from(
      { length: 50 },
      () =>
        buildEvent('tracker.pledge.announced.v1', announcement, { source: '/pledge-service' }).id,
    );
    expect(new Set(ids).size).toBe(50);
    expect([...ids].sort()).toEqual(ids);
  });

  it('takes id and time when given, and defaults time to now for types without a timestamp', () => {
    const given = buildEvent(
      'tracker.pledge.cancelled.v1',
      { pledgeId: announcement.pledgeId, reason: 'Withdrawn' },
      {
        source: '/pledge-service',
        id: 'evt-1',
        time: '2024-01-01T00:00:00Z',
      },
    );
    expect([given.id, given.time]).toEqual(['evt-1', '2024-01-01T00:00:00Z']);
    const before = Date.now();
    const defaulted = buildEvent(
      'tracker.pledge.cancelled.v1',
      { pledgeId: announcement.pledgeId, reason: 'Withdrawn' },
      { source: '/pledge-service' },
    );
    expect(Date.parse(defaulted.time)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(defaulted.time)).toBeLessThanOrEqual(Date.now());
  });

  it('keys stockpile reports by nation and item, and allocations by lot', () => {
    const level: StockpileLevelReportedV1 = {
      nation: 'PL',
      itemCode: 'AMMO-155MM',
      quantity: 1,
      at: '2024-02-15T10:00:00Z',
    };
    const report = buildEvent('tracker.stockpile.level-reported.v1', level, {
      source: '/production-service',
    });
    expect([report.subject, report.partitionkey]).toEqual(['PL:AMMO-155MM', 'PL:AMMO-155MM']);
    const allocation = buildEvent(
      'tracker.production.allocated.v1',
      {
        allocationId: '019d051b-c800-760a-9320-de0eb7c65320',
        lotId: 'RHM26C001-004',
        pledgeId: announcement.pledgeId,
        quantity: 2400,
      },
      { source: '/production-service' },
    );
    expect([allocation.subject, allocation.partitionkey]).toEqual([
      '019d051b-c800-760a-9320-de0eb7c65320',
      'RHM26C001-004',
    ]);
  });

  it('names the schema under the base URI it is given, with or without a trailing slash', () => {
    for (const schemaBaseUri of [
      'https://tracker.mod.example/api/schemas/',
      'https://tracker.mod.example/api/schemas',
    ]) {
      const event = buildEvent('tracker.pledge.announced.v1', announcement, {
        source: '/pledge-service',
        schemaBaseUri,
      });
      expect(event.dataschema).toBe(
        'https://tracker.mod.example/api/schemas/tracker.pledge.announced.v1.json',
      );
      expect(parse(TOPICS.pledges, JSON.stringify(event)).ok).toBe(true);
    }
    expect(
      violationPaths(() =>
        buildEvent('tracker.pledge.announced.v1', announcement, {
          source: '/pledge-service',
          schemaBaseUri: 'ftp://tracker.mod.example/schemas/',
        }),
      ),
    ).toEqual(['dataschema']);
  });

  it('carries a target date given as a timestamp as the date part written', () => {
    const event = buildEvent(
      'tracker.pledge.announced.v1',
      { ...announcement, targetDate: '2024-03-31T23:00:00-05:00' },
      { source: '/pledge-service' },
    );
    expect(event.data.targetDate).toBe('2024-03-31');
  });

  it('drops payload fields the contract does not know', () => {
    const data = { ...announcement, internalNote: 'not for Kafka' };
    const event = buildEvent('tracker.pledge.announced.v1', data, { source: '/pledge-service' });
    expect(event.data).toEqual(announcement);
  });

  it('throws a ContractViolationError naming every bad payload field', () => {
    const bad = { ...announcement, quantity: -5, donor: 'UK' } as unknown as PledgeAnnouncedV1;
    expect(
      violationPaths(() =>
        buildEvent('tracker.pledge.announced.v1', bad, { source: '/pledge-service' }),
      ),
    ).toEqual(['data.donor', 'data.quantity']);
  });

  it('throws a ContractViolationError naming bad options', () => {
    expect(
      violationPaths(() =>
        buildEvent('tracker.pledge.announced.v1', announcement, {
          source: 'has spaces',
          time: '2024-13-01T00:00:00Z',
        }),
      ),
    ).toEqual(['source', 'time']);
  });
});

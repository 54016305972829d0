import {
  delayLine,
  deliveredShare,
  formatEuros,
  isPledgesBody,
  isSummaryBody,
  PublicPledge,
  PublicSummaryRow,
  sourceLink,
  statusText,
  totalsBy,
  utcTime,
} from './public-model';

const row = (
  donor: string,
  itemCode: string,
  pledged: number,
  delivered: number,
): PublicSummaryRow => ({
  donor,
  itemCode,
  month: '2026-10',
  pledged,
  pledgedValueCents: pledged * 100,
  delivered,
  deliveredValueCents: delivered * 100,
});

describe('the public page model', () => {
  it('says how delayed the view is, as of when, in UTC', () => {
    expect(delayLine(30, '2026-11-07T06:00:00Z')).toBe(
      'Public view: facts recorded at least 30 days ago, as of 7 Nov 2026, 06:00 UTC',
    );
    expect(delayLine(1, '2026-11-07T06:00:00Z')).toMatch(/at least 1 day ago/);
    expect(utcTime('not a time')).toBe('not a time');
  });

  it('sums the rows per donor and per item, sorted', () => {
    const rows = [
      row('PL', 'MBT', 14, 6),
      row('DE', 'AMMO-155MM', 100, 36),
      row('DE', 'MBT', 4, 0),
      row('DE', 'AMMO-155MM', 50, 14),
    ];
    expect(totalsBy(rows, 'donor')).toEqual([
      {
        key: 'DE',
        pledged: 154,
        delivered: 50,
        pledgedValueCents: 15_400,
        deliveredValueCents: 5_000,
      },
      { key: 'PL', pledged: 14, delivered: 6, pledgedValueCents: 1_400, deliveredValueCents: 600 },
    ]);
    expect(totalsBy(rows, 'itemCode').map(({ key, pledged }) => [key, pledged])).toEqual([
      ['AMMO-155MM', 150],
      ['MBT', 18],
    ]);
    expect(totalsBy([], 'donor')).toEqual([]);
  });

  it('gives a share only of something pledged', () => {
    expect(deliveredShare(36, 100)).toBe(36);
    expect(deliveredShare(1, 3)).toBe(33.3);
    expect(deliveredShare(0, 0)).toBeNull();
  });

  it('formats euro cents, statuses and sources', () => {
    expect(formatEuros(125_000_000)).toBe('€1,250,000');
    const pledge: PublicPledge = {
      pledgeId: 'p-1',
      donor: 'DE',
      recipient: 'UA',
      itemCode: 'MBT',
      quantity: 4,
      announcedAt: '2026-01-01T00:00:00Z',
      purpose: 'donation',
      sourcing: 'new-production',
      confidence: 'official',
      status: 'cancelled',
      delivered: 0,
    };
    expect(statusText(pledge)).toBe('cancelled');
    expect(statusText({ ...pledge, cancelled: { at: '2026-02-01', reason: 'withdrawn' } })).toBe(
      'cancelled: withdrawn',
    );
    expect(sourceLink('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(sourceLink('javascript:alert(1)')).toBeUndefined();
    expect(sourceLink('not a url')).toBeUndefined();
    expect(sourceLink(undefined)).toBeUndefined();
  });

  it('recognises the answers it can show', () => {
    expect(isSummaryBody({ asOf: 'x', delayDays: 30, rows: [], totals: {} })).toBe(true);
    expect(isSummaryBody({ type: 'urn:tracker:problem:not-found', status: 404 })).toBe(false);
    expect(isSummaryBody(null)).toBe(false);
    expect(isPledgesBody({ asOf: 'x', delayDays: 30, items: [] })).toBe(true);
    expect(isPledgesBody({ asOf: 'x' })).toBe(false);
  });
});

import { presentProgramme } from './present-programme';

const hash = (entries: Record<string, string | number>) =>
  new Map(Object.entries(entries).map(([field, value]) => [field, String(value)]));

describe(presentProgramme.name, () => {
  const declared = {
    'd:name': 'EU plan: one million rounds',
    'd:item': 'AMMO-155MM',
    'd:target': 1_000_000,
    'd:deadline': '2024-03-31',
    'd:at': '2023-03-20T09:00:00.000Z',
  };

  it('gives pledged, delivered and shortfall against the target, and a monthly series with running sums', () => {
    const value = presentProgramme(
      'EU-1M-SHELLS',
      hash({
        ...declared,
        pledged: 900_000,
        accepted: 520_000,
        outstanding: 380_000,
        pledges: 3,
        'n:partially-delivered': 3,
        'm:2023-03:p': 900_000,
        'm:2023-05:d': 20_000,
        'm:2023-12:d': 200_000,
        'm:2024-01:d': 100_000,
        'm:2024-03:d': 200_000,
      }),
    );
    expect(value).toMatchObject({
      kind: 'programme',
      programmeId: 'EU-1M-SHELLS',
      targetQuantity: 1_000_000,
      deadline: '2024-03-31',
      pledged: 900_000,
      accepted: 520_000,
      unpledged: 100_000,
      shortfall: 480_000,
      deliveredShare: 0.52,
      targetReachedIn: null,
      pledges: 3,
    });
    expect(value.pledgeCounts['partially-delivered']).toBe(3);
    expect(value.monthly).toHaveLength(13);
    expect(value.monthly[0]).toEqual({
      month: '2023-03',
      pledged: 900_000,
      delivered: 0,
      cumulativePledged: 900_000,
      cumulativeDelivered: 0,
    });
    expect(value.monthly[12]).toEqual({
      month: '2024-03',
      pledged: 0,
      delivered: 200_000,
      cumulativePledged: 900_000,
      cumulativeDelivered: 520_000,
    });
    // 300,000 over January–March 2024: 100,000 a month; 480,000 to go from 1 April 2024 is
    // 4.8 months of 30.44 days, 147 days (rounded up): 26 August, 148 days after the deadline.
    expect(value.forecast).toEqual({
      targetReachedBy: '2024-08-26',
      daysLate: 148,
      basis: 'recent-deliveries',
      ratePerMonth: 100_000,
      estimate: true,
    });
  });

  it('shows pledges that name a programme before it is declared, without target or forecast', () => {
    const value = presentProgramme('CZ-AMMO-INITIATIVE', hash({ pledged: 50, pledges: 1 }));
    expect(value).toMatchObject({
      name: null,
      targetQuantity: null,
      shortfall: null,
      unpledged: null,
      forecast: null,
      pledged: 50,
      accepted: 0,
      monthly: [],
    });
  });

  it('says in which month the target was reached, and forecasts nothing once it is', () => {
    const value = presentProgramme(
      'EU-1M-SHELLS',
      hash({ ...declared, accepted: 1_000_000, 'm:2024-06:d': 600_000, 'm:2024-12:d': 400_000 }),
    );
    expect(value).toMatchObject({ targetReachedIn: '2024-12', shortfall: 0, forecast: null });
  });

  it('forecasts nothing without deliveries', () => {
    const value = presentProgramme('EU-1M-SHELLS', hash({ ...declared, 'm:2023-03:p': 10 }));
    expect(value.forecast).toEqual({
      targetReachedBy: null,
      daysLate: null,
      basis: 'none',
      ratePerMonth: null,
      estimate: true,
    });
  });
});

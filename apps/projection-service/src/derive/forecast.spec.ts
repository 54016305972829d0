import type { PledgeValue } from '@tracker/read-model';
import { forecastFor } from './forecast';

const pledge = { outstanding: 3000, targetDate: '2025-04-30' } as PledgeValue;
const asOf = '2025-03-01T00:00:00.000Z';

describe(forecastFor.name, () => {
  it('uses the recent output of the allocated lots first, and says so', () => {
    const forecast = forecastFor(pledge, asOf, {
      recentlyAllocated: 900,
      itemCapacityPerMonth: 10_000,
      itemOutstanding: 5000,
    });
    // 900 in 90 days is 10 a day: 3000 outstanding take 300 days.
    expect(forecast).toEqual({
      completionDate: '2025-12-26',
      daysLate: 240,
      basis: 'allocated-output',
      ratePerMonth: 300,
      estimate: true,
    });
  });

  it('else shares the declared capacity in proportion to outstanding demand', () => {
    const forecast = forecastFor(pledge, asOf, {
      recentlyAllocated: 0,
      itemCapacityPerMonth: 1000,
      itemOutstanding: 6000,
    });
    // The item's 6000 clear in six months at 1000 a month; this pledge gets half the line.
    expect(forecast).toMatchObject({
      completionDate: '2025-08-28',
      basis: 'capacity-share',
      ratePerMonth: 500,
      estimate: true,
    });
  });

  it('says nothing it does not know', () => {
    expect(
      forecastFor(pledge, asOf, {
        recentlyAllocated: 0,
        itemCapacityPerMonth: 0,
        itemOutstanding: 3000,
      }),
    ).toEqual({
      completionDate: null,
      daysLate: null,
      basis: 'none',
      ratePerMonth: null,
      estimate: true,
    });
  });
});

import type { ForecastEstimate, PledgeValue } from '@tracker/read-model';
import { addDays } from '../facts/stamp';
import { NO_FORECAST, withTarget } from './pledge-value';

/** How far back "recent output" of a pledge's allocated lots looks. */
export const RECENT_OUTPUT_DAYS = 90;

/** What feeds an open pledge, as the clock sees it. */
export interface ForecastInputs {
  /** Quantity allocated to the pledge from lots completed in the last {@link RECENT_OUTPUT_DAYS}. */
  readonly recentlyAllocated: number;
  /** Declared capacity of the pledge's item, units per month. */
  readonly itemCapacityPerMonth: number;
  /** Outstanding quantity of every open pledge of the item. */
  readonly itemOutstanding: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * When an open pledge completes, at the rate that feeds it: the recent output of its allocated
 * lots when there is any; else the item's declared capacity shared in proportion to outstanding
 * demand (so every such pledge of the item completes when the item's backlog clears); else
 * unknown. Always an estimate, with its basis.
 */
export function forecastFor(
  value: PledgeValue,
  asOf: string,
  inputs: ForecastInputs,
): ForecastEstimate {
  const today = asOf.slice(0, 10);
  if (inputs.recentlyAllocated > 0) {
    const perDay = inputs.recentlyAllocated / RECENT_OUTPUT_DAYS;
    return withTarget(
      {
        completionDate: addDays(today, Math.ceil(value.outstanding / perDay)),
        daysLate: null,
        basis: 'allocated-output',
        ratePerMonth: round2(perDay * 30),
        estimate: true,
      },
      value.targetDate,
    );
  }
  if (inputs.itemCapacityPerMonth > 0 && inputs.itemOutstanding > 0) {
    return withTarget(
      {
        completionDate: addDays(
          today,
          Math.ceil((inputs.itemOutstanding / inputs.itemCapacityPerMonth) * 30),
        ),
        daysLate: null,
        basis: 'capacity-share',
        ratePerMonth: round2(
          (inputs.itemCapacityPerMonth * value.outstanding) / inputs.itemOutstanding,
        ),
        estimate: true,
      },
      value.targetDate,
    );
  }
  return NO_FORECAST;
}

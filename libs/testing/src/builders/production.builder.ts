import { CountryCode, LotCompletedV1, PledgeAnnouncedV1 } from '@tracker/contracts';
import { newId, nextLotNumber } from './ids';
import { PayloadBuilder } from './payload.builder';

type LotRef = Pick<LotCompletedV1, 'lotId'> | string;
const lotIdOf = (lot: LotRef) => (typeof lot === 'string' ? lot : lot.lotId);

/** A `tracker.production.capacity-declared.v1` payload. */
export class CapacityDeclarationBuilder extends PayloadBuilder<'tracker.production.capacity-declared.v1'> {
  withCapacityId(capacityId: string): this {
    return this.with('capacityId', capacityId);
  }
  byManufacturer(manufacturer: string, facility: string, country: CountryCode): this {
    return this.withFields({ manufacturer, facility, country });
  }
  withItem(itemCode: string): this {
    return this.with('itemCode', itemCode);
  }
  withUnitsPerMonth(unitsPerMonth: number): this {
    return this.with('unitsPerMonth', unitsPerMonth);
  }
  effectiveFrom(effectiveFrom: string): this {
    return this.with('effectiveFrom', effectiveFrom);
  }
  withBasis(basis: 'company-claim' | 'government' | 'audited'): this {
    return this.with('basis', basis);
  }
}

/** Rheinmetall's claim for its new Unterlüß plant: 140,000 rounds in 2026, about 11,667 a month. */
export function aCapacityDeclaration(): CapacityDeclarationBuilder {
  return new CapacityDeclarationBuilder(
    'tracker.production.capacity-declared.v1',
    {
      capacityId: newId(),
      manufacturer: 'rheinmetall',
      facility: 'Unterlüß',
      country: 'DE',
      itemCode: 'AMMO-155MM',
      unitsPerMonth: 11_667,
      effectiveFrom: '2026-01-01',
      basis: 'company-claim',
    },
    '/producers/rheinmetall',
  );
}

/** A `tracker.production.lot-completed.v1` payload. */
export class LotBuilder extends PayloadBuilder<'tracker.production.lot-completed.v1'> {
  withLotId(lotId: string): this {
    return this.with('lotId', lotId);
  }
  byManufacturer(manufacturer: string, facility: string): this {
    return this.withFields({ manufacturer, facility });
  }
  withItem(itemCode: string): this {
    return this.with('itemCode', itemCode);
  }
  withQuantity(quantity: number): this {
    return this.with('quantity', quantity);
  }
  completedAt(completedAt: string): this {
    return this.with('completedAt', completedAt);
  }
  withQaStatus(qaStatus: LotCompletedV1['qaStatus']): this {
    return this.with('qaStatus', qaStatus);
  }
  onHold(): this {
    return this.with('qaStatus', 'hold');
  }
}

/** A lot of 2,400 rounds from Unterlüß that passed QA; each call gets a new lot number. */
export function aLot(): LotBuilder {
  return new LotBuilder(
    'tracker.production.lot-completed.v1',
    {
      lotId: nextLotNumber(),
      manufacturer: 'rheinmetall',
      facility: 'Unterlüß',
      itemCode: 'AMMO-155MM',
      quantity: 2_400,
      completedAt: '2026-03-18T16:00:00+01:00',
      qaStatus: 'passed',
    },
    '/producers/rheinmetall',
  );
}

/** A `tracker.production.lot-qa-changed.v1` payload. */
export class LotQaChangeBuilder extends PayloadBuilder<'tracker.production.lot-qa-changed.v1'> {
  forLot(lot: LotRef): this {
    return this.with('lotId', lotIdOf(lot));
  }
  withQaStatus(qaStatus: LotCompletedV1['qaStatus']): this {
    return this.with('qaStatus', qaStatus);
  }
  withReason(reason: string): this {
    return this.with('reason', reason);
  }
}

/** A lot put on hold for rework, as half of some purchased stocks needed. */
export function aLotQaChange(): LotQaChangeBuilder {
  return new LotQaChangeBuilder(
    'tracker.production.lot-qa-changed.v1',
    { lotId: nextLotNumber(), qaStatus: 'hold', reason: 'Fuze rework needed before release' },
    '/production-service',
  );
}

/** A `tracker.production.allocated.v1` payload. */
export class AllocationBuilder extends PayloadBuilder<'tracker.production.allocated.v1'> {
  withAllocationId(allocationId: string): this {
    return this.with('allocationId', allocationId);
  }
  fromLot(lot: LotRef): this {
    return this.with('lotId', lotIdOf(lot));
  }
  forPledge(pledge: Pick<PledgeAnnouncedV1, 'pledgeId'> | string): this {
    return this.with('pledgeId', typeof pledge === 'string' ? pledge : pledge.pledgeId);
  }
  withQuantity(quantity: number): this {
    return this.with('quantity', quantity);
  }
}

/** A whole 2,400-round lot allocated to a pledge. */
export function anAllocation(): AllocationBuilder {
  return new AllocationBuilder(
    'tracker.production.allocated.v1',
    { allocationId: newId(), lotId: nextLotNumber(), pledgeId: newId(), quantity: 2_400 },
    '/production-service',
  );
}

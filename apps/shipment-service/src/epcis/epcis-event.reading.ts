import { EntityId, ItemCode, OrganisationCode, Quantity } from '@tracker/contracts';
import { z } from 'zod';
import { EpcisEvent, QuantityElement } from './epcis-document.schema';
import {
  cbvCode,
  COUNT_UNITS,
  DESPATCH_ADVICE_BTT,
  epcClassMeaning,
  PLEDGE_BTT,
  TRACKER_URNS,
  trackerId,
} from './epcis.vocabulary';

// Reading the what, where and why of one EPCIS event in the tracker's terms (README, "EPCIS 2.0
// capture", "Where the fields come from"); epcis.mapper.ts decides what the event becomes.

/** The event types the tracker maps. */
export type ShipmentEvent = Extract<
  EpcisEvent,
  { type: 'ObjectEvent' | 'AggregationEvent' | 'TransactionEvent' }
>;

/** A refusal found while reading one event. */
export class Unmappable extends Error {
  constructor(
    readonly rule: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** `value` checked against a tracker contract schema; a violation names the payload's field. */
export function contract<T extends z.ZodType>(schema: T, value: z.input<T>): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join('.');
  throw new Unmappable('contract-violation', `${field} ${issue.message}`, field);
}

/** What an event says about the shipment: which, for which pledge, how much, from where to where. */
export class EventReading {
  constructor(private readonly event: ShipmentEvent) {}

  private bizTransactions(type: string): string[] {
    return (this.event.bizTransactionList ?? [])
      .filter((entry) => cbvCode('bizTransactionType', entry.type ?? '') === type)
      .map((entry) => entry.bizTransaction);
  }

  private only(values: string[], what: string, field: string): string | undefined {
    const distinct = [...new Set(values)];
    if (distinct.length > 1) {
      throw new Unmappable(
        'ambiguous',
        `names more than one ${what}: ${distinct.join(', ')}`,
        field,
      );
    }
    return distinct[0];
  }

  private epcs(): string[] {
    const event = this.event;
    if (event.type === 'AggregationEvent') {
      return event.childEPCs ?? [];
    }
    return event.epcList ?? [];
  }

  private quantityElements(): QuantityElement[] {
    const event = this.event;
    if (event.type === 'AggregationEvent') {
      return event.childQuantityList ?? [];
    }
    return event.quantityList ?? [];
  }

  /**
   * The shipment: a despatch advice (`desadv`) bizTransaction, else the `parentID` (an SSCC),
   * else the one SSCC of the `epcList`. Instance EPCs other than the shipment's are refused:
   * the tracker counts class-level quantities.
   */
  shipmentId(): string {
    const advice = this.only(
      this.bizTransactions(DESPATCH_ADVICE_BTT).map((value) =>
        trackerId(value, TRACKER_URNS.shipment),
      ),
      'despatch advice',
      'bizTransactionList',
    );
    const parent = this.event.type === 'ObjectEvent' ? undefined : this.event.parentID;
    const logistic = this.epcs().filter(
      (epc) => epc.startsWith('urn:epc:id:sscc:') || epc.startsWith(TRACKER_URNS.shipment),
    );
    const fromEpcs = this.only(
      logistic.map((epc) => trackerId(epc, TRACKER_URNS.shipment)),
      'logistic unit (SSCC)',
      'epcList',
    );
    const shipmentId = advice ?? parent ?? fromEpcs;
    if (shipmentId === undefined) {
      throw new Unmappable(
        'shipment-missing',
        'names no shipment: a desadv bizTransaction, a parentID or an SSCC in epcList',
        'epcList',
      );
    }
    const others = this.epcs().filter(
      (epc) => epc !== shipmentId && trackerId(epc, TRACKER_URNS.shipment) !== shipmentId,
    );
    if (others.length > 0) {
      throw new Unmappable(
        'instance-epc-not-counted',
        `${others[0]} is not the shipment: the tracker counts goods as class-level quantities (quantityList), not instance EPCs`,
        'epcList',
      );
    }
    const checked = EntityId.safeParse(shipmentId);
    if (!checked.success) {
      throw new Unmappable(
        'shipment-id-invalid',
        `shipment id ${shipmentId} ${checked.error.issues[0].message}`,
        'parentID',
      );
    }
    return shipmentId;
  }

  pledgeId(): string | undefined {
    return this.only(
      this.bizTransactions(PLEDGE_BTT).map((value) => trackerId(value, TRACKER_URNS.pledge)),
      'pledge',
      'bizTransactionList',
    );
  }

  /** The units of the quantity list; `positive`: at least one. */
  quantity(positive: boolean): number {
    const elements = this.quantityElements();
    let total = 0;
    elements.forEach((element, position) => {
      const field = `quantityList[${position}]`;
      if (element.uom !== undefined && !COUNT_UNITS.has(element.uom)) {
        throw new Unmappable(
          'unit-not-counted',
          `uom ${element.uom}: quantities are counts of units (EA, H87, C62 or none)`,
          `${field}.uom`,
        );
      }
      const quantity = Quantity.safeParse(element.quantity);
      if (!quantity.success) {
        throw new Unmappable(
          'quantity-invalid',
          `quantity ${quantity.error.issues[0].message}`,
          `${field}.quantity`,
        );
      }
      total += quantity.data;
    });
    const checked = Quantity.safeParse(total);
    if (!checked.success) {
      throw new Unmappable('quantity-invalid', checked.error.issues[0].message, 'quantityList');
    }
    if (positive && total === 0) {
      throw new Unmappable(
        'quantity-missing',
        'must carry at least 1 unit in quantityList',
        'quantityList',
      );
    }
    return total;
  }

  lotIds(): string[] {
    const lots = new Set<string>();
    for (const { epcClass } of this.quantityElements()) {
      const meaning = epcClassMeaning(epcClass);
      if (meaning.kind === 'lot') lots.add(meaning.lotId);
    }
    return [...lots];
  }

  itemCode(): string | undefined {
    const items = this.quantityElements()
      .map(({ epcClass }) => epcClassMeaning(epcClass))
      .flatMap((meaning) => (meaning.kind === 'item' ? [meaning.itemCode] : []));
    const item = this.only(items, 'item', 'quantityList');
    if (item !== undefined && !ItemCode.safeParse(item).success) {
      throw new Unmappable('item-invalid', `${item} is not a catalogue item code`, 'quantityList');
    }
    return item;
  }

  /** A producer an admin dispatches for: `owning_party` source `urn:tracker:producer:<org>`. */
  producer(): string | undefined {
    const owners = (this.event.sourceList ?? [])
      .filter((entry) => cbvCode('sourceDestType', entry.type) === 'owning_party')
      .map((entry) => entry.source)
      .filter((source) => source.startsWith(TRACKER_URNS.producer))
      .map((source) => source.slice(TRACKER_URNS.producer.length));
    const producer = this.only(owners, 'owning producer', 'sourceList');
    if (producer !== undefined && !OrganisationCode.safeParse(producer).success) {
      throw new Unmappable(
        'producer-invalid',
        `${producer} is not an organisation code`,
        'sourceList',
      );
    }
    return producer;
  }

  /** Where the event happened: the business location, else the read point. */
  place(): string | undefined {
    return this.event.bizLocation?.id ?? this.event.readPoint?.id;
  }

  origin(): string {
    const sources = (this.event.sourceList ?? [])
      .filter((entry) => cbvCode('sourceDestType', entry.type) === 'location')
      .map((entry) => entry.source);
    const origin = this.only(sources, 'source location', 'sourceList') ?? this.place();
    if (origin === undefined) {
      throw new Unmappable(
        'origin-missing',
        'a dispatch names where it leaves from: a source of type location, a bizLocation or a readPoint',
        'sourceList',
      );
    }
    return origin;
  }

  destination(): string {
    const destinations = (this.event.destinationList ?? [])
      .filter((entry) => cbvCode('sourceDestType', entry.type) === 'location')
      .map((entry) => entry.destination);
    const destination = this.only(destinations, 'destination location', 'destinationList');
    if (destination === undefined) {
      throw new Unmappable(
        'destination-missing',
        'a dispatch names where it goes: a destination of type location',
        'destinationList',
      );
    }
    return destination;
  }
}

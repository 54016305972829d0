import { parse, parseLotNumber, serialize, topicOf } from '@tracker/contracts';
import {
  aCapacityDeclaration,
  aDelivery,
  aLot,
  aLotQaChange,
  aMilestone,
  anAlert,
  anAlertClearance,
  anAllocation,
  aPledge,
  aPledgeAmendment,
  aPledgeCancellation,
  aShipment,
  aShipmentLoss,
  aStockpileLevel,
} from '.';

const defaults = [
  aPledge(),
  aPledgeAmendment(),
  aPledgeCancellation(),
  aCapacityDeclaration(),
  aLot(),
  aLotQaChange(),
  anAllocation(),
  aShipment(),
  aMilestone(),
  aDelivery(),
  aShipmentLoss(),
  aStockpileLevel(),
  anAlert(),
  anAlertClearance(),
];

describe('payload builders', () => {
  it.each(defaults.map((builder) => [builder.type, builder] as const))(
    'build a valid %s by default',
    (_, builder) => {
      const event = builder.buildEvent();
      const message = serialize(event);
      expect(parse(topicOf(event.type), message.value, message.headers, message.key)).toEqual({
        ok: true,
        event,
      });
    },
  );

  it('change only the fields asked for', () => {
    const base = aPledge();
    const changed = base.withQuantity(500).withDonor('PL');
    expect(changed.build()).toEqual({ ...base.build(), quantity: 500, donor: 'PL' });
  });

  it('never change the builder they start from', () => {
    const base = aPledge();
    const before = base.build();
    base.withQuantity(1).without('targetDate');
    expect(base.build()).toEqual(before);
  });

  it('drop optional fields on request', () => {
    expect(aPledge().without('valueCents').build()).not.toHaveProperty('valueCents');
  });

  it('give every new entity its own id', () => {
    expect(aPledge().build().pledgeId).not.toBe(aPledge().build().pledgeId);
    expect(aLot().build().lotId).not.toBe(aLot().build().lotId);
  });

  it('mint lot numbers that stay distinct past the three-digit sequence', () => {
    const lots = Array.from({ length: 2_500 }, () => aLot().build().lotId);
    expect(new Set(lots).size).toBe(lots.length);
    expect(lots.every((lotId) => parseLotNumber(lotId) !== undefined)).toBe(true);
  });

  it('take the ids producer systems choose themselves', () => {
    const pledge = aPledge().withPledgeId('DE:2024:017').build();
    const lot = aLot().withLotId('RHM-2026-4').build();
    const shipment = aShipment().withShipmentId('DBC.2026.03_0042').forPledge(pledge).withLots(lot);
    const event = shipment.buildEvent();
    expect(event).toMatchObject({ subject: 'DBC.2026.03_0042', data: { lotIds: ['RHM-2026-4'] } });
    expect(parse(topicOf(event.type), serialize(event).value).ok).toBe(true);
  });

  it('link a pledge, its lot, allocation, shipment and delivery', () => {
    const pledge = aPledge().withQuantity(5_000).build();
    const lot = aLot().withQuantity(2_400).build();
    const allocation = anAllocation().fromLot(lot).forPledge(pledge).build();
    const shipment = aShipment().forPledge(pledge).withLots(lot).build();
    const delivery = aDelivery().forShipment(shipment).withRejected(24, 'damaged').build();
    expect(allocation).toMatchObject({ lotId: lot.lotId, pledgeId: pledge.pledgeId });
    expect(shipment).toMatchObject({ pledgeId: pledge.pledgeId, lotIds: [lot.lotId] });
    expect(delivery).toMatchObject({
      shipmentId: shipment.shipmentId,
      receivedQuantity: 2_400,
      acceptedQuantity: 2_376,
      rejectedQuantity: 24,
      rejectionReason: 'damaged',
    });
  });

  it('wrap payloads in events from the owning service unless told otherwise', () => {
    expect(aPledge().buildEvent().source).toBe('/pledge-service');
    expect(aLot().buildEvent({ source: '/producers/nammo' }).source).toBe('/producers/nammo');
  });
});

import { RuleViolation } from '@tracker/errors';
import { aDelivery, aMilestone, aShipment, aShipmentLoss, refusalOf } from '@tracker/testing';
import { checkLoss, checkReceipt, latest, sameDispatch } from './shipment.rules';
import { toEntity } from './shipment.view';

describe('shipment rules', () => {
  const dispatch = aShipment().withQuantity(1000).build();
  const shipment = toEntity(dispatch, 'rheinmetall', 'DE');
  const receipt = aDelivery().forShipment(dispatch);

  describe(checkReceipt.name, () => {
    it('fills in rejectedQuantity as received − accepted', () => {
      const partly = {
        ...receipt.withRejected(40, 'quality').build(),
        rejectedQuantity: undefined,
      };
      expect(checkReceipt(shipment, partly)).toMatchObject({
        receivedQuantity: 1000,
        acceptedQuantity: 960,
        rejectedQuantity: 40,
      });
      expect(checkReceipt(shipment, receipt.build()).rejectedQuantity).toBe(0);
    });

    it.each([
      ['more than shipped', receipt.withReceived(1001).build(), 'receivedQuantity'],
      [
        'more accepted than received',
        { ...receipt.withReceived(10).build(), acceptedQuantity: 11 },
        'acceptedQuantity',
      ],
      [
        'a sum that does not add up',
        { ...receipt.withRejected(10).build(), rejectedQuantity: 5 },
        'rejectedQuantity',
      ],
      [
        'a rejection without a reason',
        { ...receipt.build(), acceptedQuantity: 900 },
        'rejectionReason',
      ],
      [
        'a reason without a rejection',
        { ...receipt.build(), rejectionReason: 'damaged' as const },
        'rejectionReason',
      ],
    ])('refuses %s', (_what, candidate, field) => {
      const error = refusalOf(() => checkReceipt(shipment, candidate));
      expect(error).toBeInstanceOf(RuleViolation);
      expect(error.field).toBe(field);
    });

    it('counts what was lost on the way as not receivable', () => {
      const afterLoss = { ...shipment, lost: 300 };
      expect(
        refusalOf(() => checkReceipt(afterLoss, receipt.withReceived(701).build())).message,
      ).toBe('receivedQuantity 701 is above the 1000 shipped less the 300 lost');
      expect(checkReceipt(afterLoss, receipt.withReceived(700).build()).receivedQuantity).toBe(700);
    });
  });

  describe(checkLoss.name, () => {
    const loss = aShipmentLoss().forShipment(dispatch);

    it('accepts losses up to what is still on the way', () => {
      expect(() => checkLoss(shipment, loss.withQuantity(1000).build())).not.toThrow();
      expect(() =>
        checkLoss({ ...shipment, lost: 600 }, loss.withQuantity(400).build()),
      ).not.toThrow();
    });

    it('refuses an empty loss and more than is still on the way, naming quantity', () => {
      expect(refusalOf(() => checkLoss(shipment, loss.withQuantity(0).build())).code).toBe(
        'quantity-not-positive',
      );
      const over = refusalOf(() =>
        checkLoss({ ...shipment, lost: 600 }, loss.withQuantity(401).build()),
      );
      expect(over).toMatchObject({ code: 'loss-exceeds-shipped', field: 'quantity' });
    });
  });

  describe(sameDispatch.name, () => {
    it('ignores the time when the repeat left it to the service, and key order always', () => {
      const reordered = Object.fromEntries(Object.entries(dispatch).reverse()) as typeof dispatch;
      expect(sameDispatch(dispatch, reordered, true)).toBe(true);
      const later = { ...dispatch, dispatchedAt: '2026-03-21T07:00:00+01:00' };
      expect(sameDispatch(dispatch, later, false)).toBe(true);
      expect(sameDispatch(dispatch, later, true)).toBe(false);
      expect(sameDispatch(dispatch, { ...dispatch, quantity: 999 }, false)).toBe(false);
    });
  });

  describe(latest.name, () => {
    it('keeps the milestone reached last, whatever order they were reported in', () => {
      const hub = aMilestone().at('2026-03-22T15:00:00+01:00').build();
      const border = aMilestone()
        .withStatus('border-crossed')
        .at('2026-03-21T09:00:00+01:00')
        .build();
      expect(latest(null, border)).toBe(border);
      expect(latest(border, hub)).toBe(hub);
      expect(latest(hub, border)).toBe(hub);
    });
  });
});

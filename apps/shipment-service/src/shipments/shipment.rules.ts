import {
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentLostV1,
  ShipmentMilestoneV1,
} from '@tracker/contracts';
import { RuleViolation } from '@tracker/errors';
import { ShipmentEntity } from './shipment.entity';

// The rules of shipments that need nothing but the shipment and the fact: pure functions,
// throwing the DomainError the HTTP edge answers and the inbound consumer dead-letters.

export function requirePositive(quantity: number, field: string): void {
  if (quantity < 1) {
    throw new RuleViolation('quantity-not-positive', 'must be a positive integer', field);
  }
}

export function sameDispatch(
  recorded: ShipmentDispatchedV1,
  repeated: ShipmentDispatchedV1,
  timeGiven: boolean,
): boolean {
  const comparable = ({ dispatchedAt, ...rest }: ShipmentDispatchedV1) =>
    timeGiven ? { ...rest, dispatchedAt } : rest;
  return canonical(comparable(recorded)) === canonical(comparable(repeated));
}

function canonical(value: Record<string, unknown>): string {
  return JSON.stringify(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

/** The milestone reached last (by `at`): a late-reported earlier one does not replace it. */
export function latest(
  last: ShipmentMilestoneV1 | null,
  next: ShipmentMilestoneV1,
): ShipmentMilestoneV1 {
  return last === null || Date.parse(next.at) >= Date.parse(last.at) ? next : last;
}

/** The receipt with `rejectedQuantity` filled in, when it adds up; else the rule it breaks. */
export function checkReceipt(
  shipment: ShipmentEntity,
  receipt: ShipmentDeliveredV1,
): ShipmentDeliveredV1 {
  const { receivedQuantity: received, acceptedQuantity: accepted } = receipt;
  const onItsWay = shipment.quantity - shipment.lost;
  if (received > onItsWay) {
    const lost = shipment.lost > 0 ? ` less the ${shipment.lost} lost` : '';
    throw new RuleViolation(
      'received-exceeds-shipped',
      `receivedQuantity ${received} is above the ${shipment.quantity} shipped${lost}`,
      'receivedQuantity',
    );
  }
  if (accepted > received) {
    throw new RuleViolation(
      'accepted-exceeds-received',
      `acceptedQuantity ${accepted} is above the ${received} received`,
      'acceptedQuantity',
    );
  }
  const rejected = receipt.rejectedQuantity ?? received - accepted;
  if (accepted + rejected !== received) {
    throw new RuleViolation(
      'receipt-does-not-add-up',
      `acceptedQuantity ${accepted} + rejectedQuantity ${rejected} must equal receivedQuantity ${received}`,
      'rejectedQuantity',
    );
  }
  if (rejected > 0 && receipt.rejectionReason === undefined) {
    throw new RuleViolation(
      'rejection-reason-missing',
      `is required when rejectedQuantity is above 0 (${rejected} rejected)`,
      'rejectionReason',
    );
  }
  if (rejected === 0 && receipt.rejectionReason !== undefined) {
    throw new RuleViolation(
      'rejection-reason-without-rejection',
      'must be left out when nothing is rejected',
      'rejectionReason',
    );
  }
  return { ...receipt, rejectedQuantity: rejected };
}

/** A loss of at least one unit, and no more than is still on the way. */
export function checkLoss(shipment: ShipmentEntity, loss: ShipmentLostV1): void {
  requirePositive(loss.quantity, 'quantity');
  const onItsWay = shipment.quantity - shipment.lost;
  if (loss.quantity > onItsWay) {
    throw new RuleViolation(
      'loss-exceeds-shipped',
      `quantity ${loss.quantity} is above the ${onItsWay} still on the way (${shipment.quantity} shipped, ${shipment.lost} already lost)`,
      'quantity',
    );
  }
}

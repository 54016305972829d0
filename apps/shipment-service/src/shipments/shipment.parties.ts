import { describeRole, Role } from '@tracker/config';
import { ShipmentDispatchedV1 } from '@tracker/contracts';
import { Conflict, Forbidden } from '@tracker/errors';
import { KnownAllocation } from '../allocations-view/allocations-view.repository';
import { KnownPledge } from '../pledges-view/pledges-view.repository';
import { ShipmentEntity } from './shipment.entity';

// Who may write which shipment facts (DESIGN.md §4a), as pure functions over what the views and
// the shipments table know. Each throws the DomainError the HTTP edge answers (403, 409) and the
// inbound consumer dead-letters.

/** The organisation a new shipment belongs to: the producer's own, or whom an admin names. */
export function owningProducer(role: Role, named: string | undefined): string | null {
  if (role.kind === 'admin') return named ?? null;
  if (role.kind === 'producer' && (named === undefined || named === role.org)) return role.org;
  if (role.kind === 'donor' && named === undefined) return null;
  throw new Forbidden(
    named === undefined
      ? `${describeRole(role)} cannot dispatch shipments: producers ship what they allocated, donors from their own stocks`
      : `${describeRole(role)} cannot dispatch shipments for producer ${named}`,
  );
}

/**
 * Who sent a dispatch, as its event says (`dispatchedBy`): the owning producer (also when an
 * admin dispatches its lots), else the donor shipping from its own stocks, else `admin`.
 */
export function dispatcher(role: Role, owner: string | null): string {
  if (owner !== null) return `producer:${owner}`;
  return role.kind === 'donor' ? `donor:${role.country}` : 'admin';
}

/**
 * A producer dispatches against a pledge only up to what it allocated to it and has not shipped
 * yet, citing only its own lots allocated to that pledge.
 */
export function checkProducerDispatch(
  org: string,
  pledge: KnownPledge,
  dispatch: ShipmentDispatchedV1,
  allocation: KnownAllocation,
  shipped: number,
): void {
  if (allocation.allocated === 0) {
    throw new Forbidden(
      `producer:${org} has no lots allocated to pledge ${pledge.pledgeId}: a producer ships only what it allocated`,
    );
  }
  const foreign = (dispatch.lotIds ?? []).find((lotId) => !allocation.lotIds.has(lotId));
  if (foreign !== undefined) {
    throw new Forbidden(
      `lot ${foreign} is not a lot of producer:${org} allocated to pledge ${pledge.pledgeId}: a shipment cites only the sender's own lots allocated to its pledge`,
    );
  }
  const left = allocation.allocated - shipped;
  if (dispatch.quantity > left) {
    throw new Conflict(
      'exceeds-allocation',
      `quantity ${dispatch.quantity} is above the ${left} producer:${org} allocated to pledge ${pledge.pledgeId} and has not shipped yet (${allocation.allocated} allocated, ${shipped} shipped)`,
      'quantity',
    );
  }
}

/**
 * A donor ships from its own stocks against its own pledges: no lots (those are producers'), and
 * no more than the pledge has left once what is on its way or arrived is counted.
 */
export function checkDonorDispatch(
  country: string,
  pledge: KnownPledge,
  dispatch: ShipmentDispatchedV1,
  shippedNotLost: number,
): void {
  if (pledge.donor !== country) {
    throw new Forbidden(
      `donor:${country} cannot dispatch against pledge ${pledge.pledgeId}, which is ${pledge.donor === null ? 'no donor' : `donor:${pledge.donor}`}'s`,
    );
  }
  if (dispatch.lotIds !== undefined) {
    throw new Forbidden(
      `donor:${country} ships from its own stocks: lots are producers' and are shipped by them`,
    );
  }
  const left = (pledge.quantity ?? 0) - shippedNotLost;
  if (dispatch.quantity > left) {
    throw new Conflict(
      'exceeds-pledge',
      `quantity ${dispatch.quantity} is above the ${Math.max(left, 0)} pledge ${pledge.pledgeId} has left (${pledge.quantity ?? 0} pledged, ${shippedNotLost} shipped and not lost)`,
      'quantity',
    );
  }
}

/** The party that sent a shipment: its producer, or the pledge's donor for one from stocks. */
function sentBy(role: Role, shipment: ShipmentEntity): boolean {
  if (role.kind === 'producer') return shipment.producer === role.org;
  if (role.kind === 'donor') return shipment.producer === null && shipment.donor === role.country;
  return false;
}

function sender(shipment: ShipmentEntity): string {
  if (shipment.producer !== null) return `producer:${shipment.producer}`;
  return shipment.donor === null ? 'no one' : `donor:${shipment.donor}`;
}

/** Milestones and losses are the sender's facts (and an admin's). */
export function checkSenderScope(role: Role, shipment: ShipmentEntity): void {
  if (role.kind === 'admin' || sentBy(role, shipment)) return;
  throw new Forbidden(
    `${describeRole(role)} cannot write shipment ${shipment.shipmentId}: its milestones and losses are reported by its sender, ${sender(shipment)}`,
  );
}

/**
 * Receipt is the recipient's fact (and an admin's): the sender of a shipment never confirms its
 * own delivery, so "accepted" is a fact two parties agree on.
 */
export function checkRecipientScope(
  role: Role,
  shipment: ShipmentEntity,
  recipient: string | null,
): void {
  if (role.kind === 'admin') return;
  if (role.kind === 'recipient' && recipient !== null && role.country === recipient) return;
  throw new Forbidden(
    `${describeRole(role)} cannot confirm receipt of shipment ${shipment.shipmentId}: only its recipient${recipient === null ? '' : `, recipient:${recipient},`} confirms receipt`,
  );
}

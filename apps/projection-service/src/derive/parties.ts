import { producerOf } from '@tracker/access';
import type { PledgeFacts } from '../facts/pledge.facts';
import type { ShipmentFacts } from '../facts/shipment.facts';

/**
 * The parties of a shipment, as far as they are known: its pledge's donor and recipient (once
 * the pledge is announced) and the producer that sent it (once a dispatch by `producer:<org>`
 * is known). A party not known yet is absent, so it grants nothing (README, "Who sees what").
 */
export interface ShipmentParties {
  readonly donor?: string;
  readonly recipient?: string;
  readonly producer?: string;
}

/** A pledge's donor and recipient, once it is announced. */
export function pledgeParties(
  pledge: PledgeFacts | undefined,
): Pick<ShipmentParties, 'donor' | 'recipient'> {
  const announcement = pledge?.announcement;
  return announcement === undefined
    ? {}
    : { donor: announcement.donor, recipient: announcement.recipient };
}

/** {@link ShipmentParties} from the shipment's facts and those of the pledge its dispatch names. */
export function shipmentParties(
  shipment: ShipmentFacts | undefined,
  pledge: PledgeFacts | undefined,
): ShipmentParties {
  const producer = producerOf(shipment?.dispatch?.dispatchedBy);
  return { ...pledgeParties(pledge), ...(producer === undefined ? {} : { producer }) };
}

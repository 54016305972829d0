import { Fact, operationalFact } from '@tracker/access';
import { KnownPledge } from '../pledges-view/pledges-view.repository';
import { ShipmentEntity } from './shipment.entity';

/**
 * A shipment is an operational fact (README, "Who sees what") of its sender and its pledge's
 * parties: the producer that sends it, the pledge's donor (as recorded at dispatch) and the
 * pledge's recipient (as the view of pledges knows it). A party not known grants nothing.
 */
export function shipmentFact(
  shipment: Pick<ShipmentEntity, 'producer' | 'donor'>,
  pledge: Pick<KnownPledge, 'recipient'> | undefined,
): Fact {
  return operationalFact(
    { donor: shipment.donor, recipient: pledge?.recipient },
    shipment.producer === null ? [] : [shipment.producer],
  );
}

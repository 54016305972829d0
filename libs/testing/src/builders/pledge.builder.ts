import { CountryCode, PledgeAnnouncedV1 } from '@tracker/contracts';
import { newId } from './ids';
import { PayloadBuilder } from './payload.builder';

type PledgeRef = Pick<PledgeAnnouncedV1, 'pledgeId'> | string;
const pledgeIdOf = (pledge: PledgeRef) => (typeof pledge === 'string' ? pledge : pledge.pledgeId);

/** A `tracker.pledge.announced.v1` payload. */
export class PledgeBuilder extends PayloadBuilder<'tracker.pledge.announced.v1'> {
  withPledgeId(pledgeId: string): this {
    return this.with('pledgeId', pledgeId);
  }
  withDonor(donor: CountryCode): this {
    return this.with('donor', donor);
  }
  withRecipient(recipient: CountryCode): this {
    return this.with('recipient', recipient);
  }
  withItem(itemCode: string): this {
    return this.with('itemCode', itemCode);
  }
  withQuantity(quantity: number): this {
    return this.with('quantity', quantity);
  }
  withValueCents(valueCents: number): this {
    return this.with('valueCents', valueCents);
  }
  announcedAt(announcedAt: string): this {
    return this.with('announcedAt', announcedAt);
  }
  withTargetDate(targetDate: string): this {
    return this.with('targetDate', targetDate);
  }
  withPurpose(purpose: PledgeAnnouncedV1['purpose']): this {
    return this.with('purpose', purpose);
  }
  withSourcing(sourcing: PledgeAnnouncedV1['sourcing']): this {
    return this.with('sourcing', sourcing);
  }
  withProgramme(programme: string): this {
    return this.with('programme', programme);
  }
  withConfidence(confidence: PledgeAnnouncedV1['confidence']): this {
    return this.with('confidence', confidence);
  }
  withSourceUrl(sourceUrl: string): this {
    return this.with('sourceUrl', sourceUrl);
  }
  withReference(reference: string): this {
    return this.with('reference', reference);
  }
}

/** Germany's share of the EU one-million-shells pledge: 100,000 rounds of 155 mm for Ukraine. */
export function aPledge(): PledgeBuilder {
  return new PledgeBuilder(
    'tracker.pledge.announced.v1',
    {
      pledgeId: newId(),
      donor: 'DE',
      recipient: 'UA',
      itemCode: 'AMMO-155MM',
      quantity: 100_000,
      valueCents: 35_000_000_000,
      announcedAt: '2023-03-20T12:00:00+01:00',
      targetDate: '2024-03-31',
      purpose: 'aid',
      sourcing: 'new-production',
      programme: 'EU-1M-SHELLS',
      confidence: 'official',
    },
    '/pledge-service',
  );
}

/** A `tracker.pledge.amended.v1` payload. */
export class PledgeAmendmentBuilder extends PayloadBuilder<'tracker.pledge.amended.v1'> {
  forPledge(pledge: PledgeRef): this {
    return this.with('pledgeId', pledgeIdOf(pledge));
  }
  withQuantity(quantity: number): this {
    return this.with('quantity', quantity);
  }
  withTargetDate(targetDate: string): this {
    return this.with('targetDate', targetDate);
  }
  withReason(reason: string): this {
    return this.with('reason', reason);
  }
}

/** A pledge raised to 120,000 rounds and pushed back to November 2024. */
export function aPledgeAmendment(): PledgeAmendmentBuilder {
  return new PledgeAmendmentBuilder(
    'tracker.pledge.amended.v1',
    {
      pledgeId: newId(),
      quantity: 120_000,
      targetDate: '2024-11-30',
      reason: 'Second tranche agreed by defence ministers in Brussels on 15 February 2024',
    },
    '/pledge-service',
  );
}

/** A `tracker.pledge.cancelled.v1` payload. */
export class PledgeCancellationBuilder extends PayloadBuilder<'tracker.pledge.cancelled.v1'> {
  forPledge(pledge: PledgeRef): this {
    return this.with('pledgeId', pledgeIdOf(pledge));
  }
  withReason(reason: string): this {
    return this.with('reason', reason);
  }
}

export function aPledgeCancellation(): PledgeCancellationBuilder {
  return new PledgeCancellationBuilder(
    'tracker.pledge.cancelled.v1',
    { pledgeId: newId(), reason: 'Superseded by the joint procurement track' },
    '/pledge-service',
  );
}

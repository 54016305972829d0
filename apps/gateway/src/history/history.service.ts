import { Inject, Injectable } from '@nestjs/common';
import { maySee, operationalFact } from '@tracker/access';
import { Role } from '@tracker/config';
import { NotFound } from '@tracker/errors';
import {
  PledgeHistoryEntry,
  PledgeValue,
  publicHistoryEntry,
  ReadModelReader,
} from '@tracker/read-model';
import { READ_MODEL } from '../read-model/read-model.module';

/** A pledge's history as one caller may see it. */
export interface PledgeHistoryAnswer {
  readonly pledgeId: string;
  /** `full`: every entry whole; `public`: the public entries, with their public figures only. */
  readonly view: 'full' | 'public';
  readonly entries: readonly PledgeHistoryEntry[];
}

/**
 * The events behind a pledge's figures (libs/read-model pledge-history.ts), cut to what the
 * caller may see by the one access rule (libs/access): a caller who may see the pledge's
 * operational facts — admin, ops, its donor and recipient, as for the pledge's live value — gets
 * every entry whole; anyone else the public entries (the pledge's own events, confirmed receipts
 * and corrections) with their public figures only (pledged, accepted, outstanding, status,
 * target date).
 */
@Injectable()
export class HistoryService {
  constructor(@Inject(READ_MODEL) private readonly reader: ReadModelReader) {}

  /** @throws NotFound for a pledge the read model does not know (not announced yet). */
  async history(role: Role, pledgeId: string): Promise<PledgeHistoryAnswer> {
    const channel = `pledge:${pledgeId}`;
    if (!this.reader.isKnownChannel(channel)) throw new NotFound('pledge', pledgeId);
    const value = (await this.reader.value(channel)) as PledgeValue | null;
    if (value === null) throw new NotFound('pledge', pledgeId);
    const entries = await this.reader.pledgeHistory(pledgeId);
    if (maySee(role, operationalFact({ donor: value.donor, recipient: value.recipient }))) {
      return { pledgeId, view: 'full', entries };
    }
    return {
      pledgeId,
      view: 'public',
      entries: entries.filter((entry) => entry.class === 'public').map(publicHistoryEntry),
    };
  }
}

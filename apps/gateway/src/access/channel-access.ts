import { Inject, Injectable } from '@nestjs/common';
import { describeRole, Role } from '@tracker/config';
import { parseChannel, PledgeValue, ReadModelReader } from '@tracker/read-model';
import { READ_MODEL } from '../read-model/read-model.module';
import { channelDecision } from './channel-policy';

/** Why a role may not read a channel. */
export interface AccessRefusal {
  readonly code: 'unknown-channel' | 'forbidden';
  readonly channel: string;
  readonly message: string;
}

function pledgeDonor(value: unknown): string | undefined {
  const donor = (value as Partial<PledgeValue> | null)?.donor;
  return typeof donor === 'string' ? donor : undefined;
}

/** Decides, per channel, whether a caller may read it (live subscriptions and REST alike). */
@Injectable()
export class ChannelAccess {
  constructor(@Inject(READ_MODEL) private readonly reader: ReadModelReader) {}

  /** The first channel `role` may not read, or undefined when it may read them all. */
  async refusal(role: Role, channels: readonly string[]): Promise<AccessRefusal | undefined> {
    for (const channel of channels) {
      const refused = await this.refusalOf(role, channel);
      if (refused) return refused;
    }
    return undefined;
  }

  /**
   * Like {@link refusal} for one channel. `value` is the channel's value when the caller already
   * read it, so a pledge is not read twice.
   */
  async refusalOf(
    role: Role,
    channel: string,
    value?: unknown,
  ): Promise<AccessRefusal | undefined> {
    const parsed = this.reader.isKnownChannel(channel) ? parseChannel(channel) : undefined;
    if (parsed === undefined) {
      return { code: 'unknown-channel', channel, message: `${channel} is not a channel` };
    }
    const decision = channelDecision(role, parsed);
    switch (decision.kind) {
      case 'allow':
        return undefined;
      case 'deny':
        return this.forbidden(role, channel);
      case 'if-pledge-of': {
        // A pledge without data is refused too: a donor token learns nothing about pledges that
        // are not its own, not even whether they exist.
        const current = value === undefined ? await this.reader.value(channel) : value;
        return pledgeDonor(current) === decision.donor ? undefined : this.forbidden(role, channel);
      }
    }
  }

  private forbidden(role: Role, channel: string): AccessRefusal {
    return { code: 'forbidden', channel, message: `${describeRole(role)} may not read ${channel}` };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { Role } from '@tracker/config';
import { channelNotFound } from '@tracker/errors';
import { ReadModelReader, scopeValue } from '@tracker/read-model';
import { READ_MODEL } from '../read-model/read-model.module';

/**
 * REST reads of the live channels (DESIGN.md §4): the value a `/live` subscriber would get in
 * its snapshot, scoped to the caller the same way (`scopeValue` of @tracker/read-model), read
 * from Redis.
 */
@Injectable()
export class ReadsService {
  constructor(@Inject(READ_MODEL) private readonly reader: ReadModelReader) {}

  /**
   * The channel's current value as `role` may see it.
   * @throws NotFound for a malformed name or a channel without data
   */
  async read(role: Role, channel: string): Promise<unknown> {
    if (!this.reader.isKnownChannel(channel)) throw channelNotFound(channel);
    const value = await this.reader.value(channel);
    if (value === null) throw channelNotFound(channel);
    return scopeValue(role, channel, value);
  }
}

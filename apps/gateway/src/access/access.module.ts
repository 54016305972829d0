import { Module } from '@nestjs/common';
import { ChannelAccess } from './channel-access';

/** Which channels a role may read, live and over REST. */
@Module({ providers: [ChannelAccess], exports: [ChannelAccess] })
export class AccessModule {}

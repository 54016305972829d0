import { Module } from '@nestjs/common';
import { ChannelAccess } from './channel-access';
import { TokenAuth } from './token-auth';

/** Who the caller is (bearer token → role) and which channels that role may read. */
@Module({ providers: [TokenAuth, ChannelAccess], exports: [TokenAuth, ChannelAccess] })
export class AccessModule {}

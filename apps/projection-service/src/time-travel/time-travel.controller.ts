import { Controller, Get, Injectable, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { channelNotFound, ViewLagging } from '@tracker/errors';
import { Caller, CurrentCaller, Reads } from '@tracker/http';
import { isKnownChannel, scopeValue } from '@tracker/read-model';
import { LogFollower } from './log-follower';
import { NotCaughtUpError } from './time-travel';
import { TimeFilter, TimeQueryPipe } from './time-query';

/** A channel's value at a time, scoped to the caller like the live read (`scopeValue`). */
@Injectable()
export class TimeTravelReads {
  constructor(private readonly follower: LogFollower) {}

  async read(caller: Caller, channel: string, query: TimeFilter): Promise<unknown> {
    if (!isKnownChannel(channel)) throw channelNotFound(channel);
    if (!(await this.follower.sync()))
      throw new ViewLagging('time travel has not read the log as far as the tracker applied it');
    const engine = this.follower.engine;
    let value;
    try {
      value =
        query.asOf !== undefined
          ? engine.asOf(Date.parse(query.asOf), channel)
          : engine.knownAt(Date.parse(query.knownAt as string)).value(channel);
    } catch (error) {
      if (error instanceof NotCaughtUpError) throw new ViewLagging(error.message);
      throw error;
    }
    if (value === null) throw channelNotFound(channel);
    return scopeValue(caller.role, channel, value);
  }
}

/**
 * The live reads of the gateway (overview, donor, item, pledge) at a time: `?asOf=` (what had
 * happened by then, as known now) or `?knownAt=` (what the tracker showed then). Same shapes,
 * same data classes and scoping as the live reads; the gateway forwards them here.
 */
@ApiTags('time travel')
@ApiBearerAuth()
@Controller('v1')
export class TimeTravelController {
  constructor(private readonly reads: TimeTravelReads) {}

  @Get('overview')
  @Reads('public', 'operational')
  @ApiOperation({ summary: 'The overview at a time' })
  overview(
    @CurrentCaller() caller: Caller,
    @Query(TimeQueryPipe) query: TimeFilter,
  ): Promise<unknown> {
    return this.reads.read(caller, 'overview', query);
  }

  @Get('donors/:country')
  @Reads('public', 'operational')
  @ApiOperation({ summary: 'One donor at a time' })
  donor(
    @CurrentCaller() caller: Caller,
    @Param('country') country: string,
    @Query(TimeQueryPipe) query: TimeFilter,
  ): Promise<unknown> {
    return this.reads.read(caller, `donor:${country}`, query);
  }

  @Get('items/:code')
  @Reads('public', 'operational', 'national', 'commercial')
  @ApiOperation({ summary: 'One item at a time' })
  item(
    @CurrentCaller() caller: Caller,
    @Param('code') code: string,
    @Query(TimeQueryPipe) query: TimeFilter,
  ): Promise<unknown> {
    return this.reads.read(caller, `item:${code}`, query);
  }

  @Get('pledges/:id/live')
  @Reads('public', 'operational')
  @ApiOperation({ summary: 'One pledge at a time' })
  pledge(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Query(TimeQueryPipe) query: TimeFilter,
  ): Promise<unknown> {
    return this.reads.read(caller, `pledge:${id}`, query);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DATA_CLASSES } from '@tracker/access';
import {
  Caller,
  CurrentCaller,
  JsonBody,
  Reads,
  Roles,
  validParam,
  validQuery,
} from '@tracker/http';
import {
  CreateSubscriptionBody,
  CreateSubscriptionRequest,
  ListDeliveriesFilter,
  ListDeliveriesQuery,
  SubscriptionId,
} from './subscription.requests';
import { SubscriptionService } from './subscription.service';

const subscriptionId = validParam(SubscriptionId, 'id');

/**
 * Every role may subscribe; each route then answers only the caller's own subscriptions
 * (admin: all; another's is 404), and what a subscription receives follows the access policy.
 * A subscription (where a party listens, for what) is operational; its deliveries name events
 * of whichever class the owner may see.
 */
const ANY_PARTY = ['admin', 'ops', 'donor', 'producer', 'recipient'] as const;

@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('v1/subscriptions')
export class SubscriptionController {
  constructor(private readonly subscriptions: SubscriptionService) {}

  @Post()
  @Roles(...ANY_PARTY)
  @ApiOperation({
    summary: 'Subscribe an https endpoint to event types; the answer shows the signing secret once',
  })
  @JsonBody(CreateSubscriptionRequest)
  subscribe(@CurrentCaller() caller: Caller, @Body() body: CreateSubscriptionBody) {
    return this.subscriptions.subscribe(caller.role, body);
  }

  @Get()
  @Reads('operational')
  @ApiOperation({ summary: "The caller's subscriptions (admin: every one), without secrets" })
  list(@CurrentCaller() caller: Caller) {
    return this.subscriptions.list(caller.role).then((subscriptions) => ({ subscriptions }));
  }

  @Get(':id')
  @Reads('operational')
  @ApiOperation({ summary: 'One of the caller’s subscriptions, without its secret' })
  get(@CurrentCaller() caller: Caller, @Param('id', subscriptionId) id: string) {
    return this.subscriptions.get(caller.role, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(...ANY_PARTY)
  @ApiOperation({ summary: 'Unsubscribe: nothing more is queued or sent' })
  async unsubscribe(@CurrentCaller() caller: Caller, @Param('id', subscriptionId) id: string) {
    await this.subscriptions.unsubscribe(caller.role, id);
  }

  @Get(':id/deliveries')
  @Reads(...DATA_CLASSES)
  @ApiOperation({
    summary: 'A subscription’s deliveries, newest first: pending, delivered or parked',
  })
  deliveries(
    @CurrentCaller() caller: Caller,
    @Param('id', subscriptionId) id: string,
    @Query(validQuery(ListDeliveriesQuery)) query: ListDeliveriesFilter,
  ) {
    return this.subscriptions.deliveriesOf(caller.role, id, query);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Roles(...ANY_PARTY)
  @ApiOperation({ summary: 'Send a parked subscription’s deliveries again, in order' })
  resume(@CurrentCaller() caller: Caller, @Param('id', subscriptionId) id: string) {
    return this.subscriptions.resume(caller.role, id);
  }
}

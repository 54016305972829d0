import { Injectable } from '@nestjs/common';
import { describeRole, Role } from '@tracker/config';
import { NotFound } from '@tracker/errors';
import { randomUUID } from 'node:crypto';
import { DeliveryRepository, DeliveryView } from '../deliveries/delivery.repository';
import { DeliveryWorker } from '../deliveries/delivery.worker';
import { newSigningSecret } from '../deliveries/signing';
import { EndpointGuard } from '../endpoints/endpoint-guard';
import { Subscription, SubscriptionRepository } from './subscription.repository';
import { CreateSubscriptionBody, ListDeliveriesFilter } from './subscription.requests';

/**
 * Subscriptions belong to the role that made them: each party sees, deletes and resumes its own
 * (another's is 404, like one that does not exist); `admin` every one. What a subscription
 * receives is decided per event by the access policy (see EventFanoutService).
 */
@Injectable()
export class SubscriptionService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly guard: EndpointGuard,
    private readonly worker: DeliveryWorker,
  ) {}

  /** Registers a subscription; the answer carries its signing secret, this once only. */
  async subscribe(
    role: Role,
    body: CreateSubscriptionBody,
  ): Promise<Subscription & { secret: string }> {
    const url = await this.guard.checkUrl(body.url);
    const secret = newSigningSecret();
    const subscription = await this.subscriptions.create(
      {
        id: randomUUID(),
        owner: describeRole(role),
        url: url.href,
        eventTypes: [...body.eventTypes],
        filters: body.filters ?? {},
      },
      secret,
    );
    return { ...subscription, secret };
  }

  list(role: Role): Promise<Subscription[]> {
    return this.subscriptions.list(role.kind === 'admin' ? undefined : describeRole(role));
  }

  async get(role: Role, id: string): Promise<Subscription> {
    const subscription = await this.subscriptions.find(id);
    if (subscription === undefined || !this.owns(role, subscription)) {
      throw new NotFound('subscription', id);
    }
    return subscription;
  }

  async unsubscribe(role: Role, id: string): Promise<void> {
    await this.get(role, id);
    await this.subscriptions.delete(id);
  }

  async deliveriesOf(
    role: Role,
    id: string,
    query: ListDeliveriesFilter,
  ): Promise<{ deliveries: DeliveryView[] }> {
    await this.get(role, id);
    return { deliveries: await this.deliveries.list(id, query.limit, query.before) };
  }

  /** Sends the parked deliveries again, in order, with a fresh retry window. */
  async resume(role: Role, id: string): Promise<{ resumed: number }> {
    await this.get(role, id);
    const resumed = await this.deliveries.resume(id, new Date());
    this.worker.wake();
    return { resumed };
  }

  /** Admin owns every subscription; ops too sees everything, but owns only its own. */
  private owns(role: Role, subscription: Subscription): boolean {
    return role.kind === 'admin' || subscription.owner === describeRole(role);
  }
}

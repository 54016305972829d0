import { PrepareApp, RootModuleFactory } from '@tracker/platform';
import {
  startTestService,
  TestDatabase,
  TestService,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import { AppModule as GatewayModule, prepareGateway } from '../apps/gateway/src/app.module';
import {
  AppModule as PledgeModule,
  preparePledgeService,
} from '../apps/pledge-service/src/app.module';
import {
  AppModule as ProductionModule,
  prepareProductionService,
} from '../apps/production-service/src/app.module';
import {
  AppModule as ShipmentModule,
  prepareShipmentService,
} from '../apps/shipment-service/src/app.module';
import {
  AppModule as WebhookModule,
  prepareWebhookService,
} from '../apps/webhook-service/src/app.module';

type WriteService =
  'pledge-service' | 'production-service' | 'shipment-service' | 'webhook-service';

const WRITE_SERVICES: [WriteService, RootModuleFactory, PrepareApp][] = [
  ['pledge-service', (config) => PledgeModule.forRoot(config), preparePledgeService],
  ['production-service', (config) => ProductionModule.forRoot(config), prepareProductionService],
  ['shipment-service', (config) => ShipmentModule.forRoot(config), prepareShipmentService],
  ['webhook-service', (config) => WebhookModule.forRoot(config), prepareWebhookService],
];

/**
 * The three write services, webhook-service (it owns /v1/subscriptions) and the gateway in front
 * of them, each service in its own schema.
 */
export interface WriteStack {
  readonly gateway: TestService;
  readonly services: Record<WriteService, TestService>;
  readonly databases: Record<WriteService, TestDatabase>;
  /** The stack's own name of contract topic `name` (its services share no topic with others). */
  topic(name: string): string;
  /**
   * Events a service committed, once its relay has published them all (the outbox is empty):
   * counting rows still in the outbox beside the published total would count a row the relay
   * publishes between the two reads twice.
   */
  committedEvents(service: WriteService): Promise<number>;
  stop(): Promise<void>;
}

async function publishedTotal(service: TestService): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith('tracker_outbox_published_total'));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/**
 * Starts the write side as `npm start` would, in this process, on ports of its own. `env` goes
 * to every service, `serviceEnv` to one (its own Kafka user, say).
 */
export async function startWriteStack(
  label: string,
  env: Record<string, string> = {},
  serviceEnv: (service: WriteService | 'gateway') => Record<string, string> = () => ({}),
): Promise<WriteStack> {
  const groupPrefix = env.KAFKA_GROUP_PREFIX ?? uniqueGroupPrefix(label);
  const kafkaEnv = {
    KAFKA_GROUP_PREFIX: groupPrefix,
    KAFKA_TOPIC_PREFIX: env.KAFKA_TOPIC_PREFIX ?? `${groupPrefix}.`,
  };
  const databases = {} as Record<WriteService, TestDatabase>;
  const services = {} as Record<WriteService, TestService>;
  for (const [name, factory, prepare] of WRITE_SERVICES) {
    databases[name] = await TestDatabase.create(`${label}_${name.split('-')[0]}`);
    services[name] = await startTestService(
      name,
      factory,
      { ...env, ...serviceEnv(name), ...kafkaEnv, DATABASE_SCHEMA: databases[name].schema },
      prepare,
    );
  }
  const gateway = await startTestService(
    'gateway',
    (config) => GatewayModule.forRoot(config),
    {
      ...env,
      ...serviceEnv('gateway'),
      ...kafkaEnv,
      PLEDGE_SERVICE_URL: services['pledge-service'].url,
      PRODUCTION_SERVICE_URL: services['production-service'].url,
      SHIPMENT_SERVICE_URL: services['shipment-service'].url,
      WEBHOOK_SERVICE_URL: services['webhook-service'].url,
    },
    prepareGateway,
  );
  return {
    gateway,
    services,
    databases,
    topic: (name) => `${kafkaEnv.KAFKA_TOPIC_PREFIX}${name}`,
    async committedEvents(service) {
      await waitFor(`${service}'s outbox to be published`, async () => {
        const [row] = await databases[service].query<{ n: string }>(
          'select count(*) as n from outbox',
        );
        return Number(row.n) === 0;
      });
      return publishedTotal(services[service]);
    },
    async stop() {
      await gateway.close();
      for (const [name] of WRITE_SERVICES) await services[name].close();
      for (const [name] of WRITE_SERVICES) await databases[name].drop();
    },
  };
}

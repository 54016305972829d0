import { INestMicroservice, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaOptions, ServerKafka } from '@nestjs/microservices';
import { MessageHandler } from '@nestjs/microservices/interfaces';
import { Partitioners, type SASLOptions } from 'kafkajs';
import { IntegratorConfig } from './config';
import { IntegratorModule } from './integrator.module';
import { StatusLog } from './status-log';

type KafkaServerOptions = Required<KafkaOptions>['options'];

/**
 * Nest's Kafka server with every `@EventPattern` topic behind a prefix, so the handlers name the
 * contract topics and the same code follows a stack that runs with `KAFKA_TOPIC_PREFIX`.
 */
class PrefixedKafkaServer extends ServerKafka {
  constructor(
    options: KafkaServerOptions,
    private readonly topicPrefix: string,
  ) {
    super(options);
  }

  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler?: boolean,
    extras?: Record<string, unknown>,
  ): void {
    const topic = typeof pattern === 'string' ? `${this.topicPrefix}${pattern}` : pattern;
    super.addHandler(topic, callback, isEventHandler, extras);
  }
}

/** Thrown when Kafka will not let the integrator in; its message says what to check. */
export class IntegratorStartError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'IntegratorStartError';
  }
}

/** The Nest Kafka transport options for `config`: SASL, TLS, group, and raw message bytes. */
export function kafkaOptions(config: IntegratorConfig): KafkaServerOptions {
  return {
    client: {
      clientId: 'tracker-integrator',
      brokers: config.brokers,
      ssl: config.ssl,
      // One object per mechanism in kafkajs' types; ours is the same shape with a union.
      sasl: config.sasl as SASLOptions | undefined,
      retry: { retries: 3 },
    },
    // The group id as given: the tracker's ACLs match `ops.*`, so no `-server` suffix is wanted
    // at the start and none is harmful at the end; keep Nest's default out of the way.
    postfixId: '',
    consumer: { groupId: config.groupId },
    // Nest's Kafka server always makes a producer (for replies); the integrator sends nothing, and
    // naming the partitioner only silences kafkajs' warning about its changed default.
    producer: { createPartitioner: Partitioners.DefaultPartitioner },
    // A new group reads the history, so that later lines can name a pledge's parties.
    subscribe: { fromBeginning: true },
    // Keep the bytes: the contracts' parser checks the encoding and the JSON itself.
    parser: { keepBinary: true },
  };
}

export interface StartOptions {
  /** Where status lines go (the Nest logger by default). */
  readonly log?: StatusLog;
  /** Nest's own logging (framework and kafkajs lines). */
  readonly logger?: LoggerService | LogLevel[] | false;
}

/**
 * Starts the integrator and resolves once it is connected and subscribed; rejects with an
 * {@link IntegratorStartError} naming the cause when Kafka refuses it.
 */
export async function startIntegrator(
  config: IntegratorConfig,
  options: StartOptions = {},
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(IntegratorModule.forRoot(options.log), {
    strategy: new PrefixedKafkaServer(kafkaOptions(config), config.topicPrefix),
    logger: options.logger,
  });
  try {
    await app.listen();
    return app;
  } catch (error) {
    await app.close().catch(() => undefined);
    throw new IntegratorStartError(describeStartFailure(config, error), { cause: error });
  }
}

function describeStartFailure(config: IntegratorConfig, error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (name === 'KafkaJSSASLAuthenticationError') {
    const user = config.sasl?.username ?? '(none)';
    return `Kafka refused the credentials of user "${user}" (${config.sasl?.mechanism}): check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (${detail})`;
  }
  if ((error as { type?: unknown }).type === 'TOPIC_AUTHORIZATION_FAILED') {
    return `Kafka does not let user "${config.sasl?.username ?? '(none)'}" read the contract topics behind prefix "${config.topicPrefix}": it needs READ and DESCRIBE on them (the tracker grants both to ops), and they must exist, as a reader may not create them (${detail})`;
  }
  return `could not connect to Kafka at ${config.brokers.join(',')}: ${detail}`;
}

import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { ReadinessCheck } from '@tracker/platform';
import { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import {
  ContractViolationError,
  EventOnTopic,
  parseMessage,
  TopicName,
  TOPICS,
} from '@tracker/contracts';
import { ConsumedMessage, ConsumerRunner, ConsumerSpec, RetryPolicy } from './consumer-runner';
import { ConsumerMetrics } from './consumer.metrics';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { EventProducer } from './event-producer';
import { contractTopic, createKafkaClient, physicalTopic, physicalTopics } from './kafka-client';
import { KAFKA } from './kafka.tokens';

/** Starts and stops the process's consumer runners; knows whether they are all consuming. */
@Injectable()
export class KafkaConsumers implements OnApplicationShutdown {
  private readonly runners: ConsumerRunner[] = [];

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly logger: PinoLogger,
    private readonly metrics: ConsumerMetrics,
  ) {}

  /**
   * Consumes one tracker topic from its beginning in the group
   * `<KAFKA_GROUP_PREFIX>.<service>.<purpose>`: a message that breaks the contract is
   * dead-lettered with the violation as its reason, every event goes to `apply` (which dedupes
   * by event id, since a restart re-delivers what was in flight). With `applyAll`, a fetched
   * batch whose messages all keep the contract goes to it at once (one transaction for many
   * events); when it throws, the batch's events go to `apply` one by one. `topic` is the
   * contract's name; the consumer reads it behind `KAFKA_TOPIC_PREFIX`.
   */
  consumeEvents<T extends TopicName>(
    purpose: string,
    topic: T,
    apply: (event: EventOnTopic<T>) => Promise<void>,
    options: {
      readonly applyAll?: (events: readonly EventOnTopic<T>[]) => Promise<void>;
      readonly retry?: RetryPolicy;
    } = {},
  ): ConsumerRunner {
    const parsed = ({ message }: ConsumedMessage): EventOnTopic<T> => {
      const result = parseMessage(topic, message);
      if (!result.ok) throw new ContractViolationError({ ...result.error, topic });
      return result.event;
    };
    const { applyAll, retry } = options;
    return this.start({
      groupId: `${this.config.kafka.groupPrefix}.${this.config.service}.${purpose}`,
      topics: [topic],
      fromBeginning: true,
      retry,
      handle: (consumed) => apply(parsed(consumed)),
      handleBatch: applyAll && ((batch) => applyAll(batch.map(parsed))),
    });
  }

  /**
   * Starts a group member in the background; see {@link ConsumerRunner}. `spec.topics` are
   * contract names: the member reads them, and dead-letters to tracker.deadletter.v1, behind
   * `KAFKA_TOPIC_PREFIX`.
   */
  start(spec: ConsumerSpec): ConsumerRunner {
    const prefixed: ConsumerSpec = {
      sessionTimeoutMs: this.config.kafka.sessionTimeoutMs,
      ...spec,
      topics: spec.topics.map((topic) => physicalTopics(this.config.kafka, topic)),
      deadLetterTopic: physicalTopic(this.config.kafka, spec.deadLetterTopic ?? TOPICS.deadLetter),
    };
    const runner = new ConsumerRunner(
      this.kafka,
      prefixed,
      this.deadLetters,
      this.logger.logger,
      this.metrics,
    );
    this.runners.push(runner);
    runner.start();
    return runner;
  }

  /** The contract name of a topic this process reads (`KAFKA_TOPIC_PREFIX` taken off). */
  contractTopic(physical: string): string {
    return contractTopic(this.config.kafka, physical);
  }

  /**
   * Creates the contract topics `names` (behind `KAFKA_TOPIC_PREFIX`) that do not exist yet, so
   * a consumer subscribing by pattern finds them.
   */
  async ensureTopics(names: readonly string[], numPartitions: number): Promise<void> {
    if (names.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: names.map((name) => ({
          topic: physicalTopic(this.config.kafka, name),
          numPartitions,
        })),
      });
    } finally {
      await admin.disconnect();
    }
  }

  get all(): readonly ConsumerRunner[] {
    return this.runners;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }
}

/** Ready when every consumer runner of the process has joined its group and is consuming. */
@Injectable()
export class KafkaConsumersReadiness implements ReadinessCheck {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly consumers: KafkaConsumers,
  ) {}

  async check() {
    const session = this.indicator.check('kafka');
    const statuses = this.consumers.all.map((runner) => runner.status);
    return this.consumers.all.every((runner) => runner.ready)
      ? session.up({ consumers: statuses })
      : session.down({ consumers: statuses });
  }
}

/**
 * The process's Kafka edge: the kafkajs client built from `AppConfig.kafka` (brokers, TLS, SASL),
 * the idempotent {@link EventProducer}, the {@link DeadLetterPublisher} and the consumer runners.
 */
@Global()
@Module({})
export class KafkaModule {
  static forRoot(): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        {
          provide: KAFKA,
          inject: [APP_CONFIG, PinoLogger],
          useFactory: (config: AppConfig, logger: PinoLogger) =>
            createKafkaClient(config.kafka, logger.logger),
        },
        EventProducer,
        DeadLetterPublisher,
        ConsumerMetrics,
        KafkaConsumers,
      ],
      exports: [KAFKA, EventProducer, DeadLetterPublisher, KafkaConsumers],
    };
  }
}

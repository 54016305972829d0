import { collectDefaultMetrics } from 'prom-client';
import {
  Controller,
  Get,
  Global,
  Header,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { DeadLetterPublisher, EventProducer, KAFKA } from '@tracker/kafka';
import { ReadinessCheck } from '@tracker/platform';
import { REDIS } from '@tracker/redis';
import type Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { projectionTopics } from './consumer/projection-topics';
import { EventTimeClock, SYSTEM_CLOCK } from './clock/clock';
import { Projection } from './projection';
import { startWithRetries } from './start-with-retries';

/** Starts the projection with the application and stops it with it. */
@Injectable()
export class ProjectionLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly projection: Projection,
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    void startWithRetries(this.projection, this.logger, 'projection', () => this.shuttingDown);
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.projection.stop();
  }
}

/** Ready when consuming, not far behind, and not filling a fresh epoch from the beginning. */
@Injectable()
export class ProjectionReadiness implements ReadinessCheck {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly projection: Projection,
  ) {}

  async check() {
    const session = this.indicator.check('projection');
    const status = this.projection.status;
    return status.ready ? session.up(status) : session.down(status);
  }
}

/** The projection's metrics and the process defaults (memory, CPU, event-loop lag), as every service serves them. */
@Controller()
export class MetricsController {
  constructor(private readonly projection: Projection) {
    collectDefaultMetrics({ register: projection.metrics.registry });
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return this.projection.metrics.text();
  }
}

/**
 * The projection of DESIGN §6 with its metrics, from the application config. Global so the
 * health module can build {@link ProjectionReadiness} on it.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: Projection,
      inject: [APP_CONFIG, KAFKA, REDIS, EventProducer, DeadLetterPublisher, PinoLogger],
      useFactory: (
        config: AppConfig,
        kafka: Kafka,
        redis: Redis,
        producer: EventProducer,
        deadLetters: DeadLetterPublisher,
        logger: PinoLogger,
      ) =>
        new Projection(
          {
            kafka,
            redis,
            producer,
            deadLetters,
            logger: logger.logger,
            clock: config.projection.clock === 'events' ? new EventTimeClock() : SYSTEM_CLOCK,
          },
          {
            groupId: config.projection.groupId,
            topics: projectionTopics(config.kafka.topicPrefix),
            namespace: config.readModel.namespace,
            streamMaxLength: config.readModel.streamMaxLength,
            dedupeWindow: config.readModel.dedupeWindow,
            tickMs: config.projection.tickMs,
            readyMaxLag: config.projection.readyMaxLag,
            sessionTimeoutMs: config.projection.sessionTimeoutMs,
          },
        ),
    },
    ProjectionLifecycle,
  ],
  exports: [Projection],
})
export class ProjectionModule {}

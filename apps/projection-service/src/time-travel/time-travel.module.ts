import {
  DynamicModule,
  Global,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, AppConfig, ConfigModule } from '@tracker/config';
import { HttpEdgeModule } from '@tracker/http';
import { KAFKA, KafkaModule } from '@tracker/kafka';
import { HealthModule, LoggingModule, ReadinessCheck } from '@tracker/platform';
import { REDIS, RedisModule, RedisReadiness } from '@tracker/redis';
import type Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { projectionTopics } from '../consumer/projection-topics';
import { LogFollower } from './log-follower';
import { TimeTravel } from './time-travel';
import { TimeTravelController, TimeTravelReads } from './time-travel.controller';
import { startWithRetries } from '../start-with-retries';

/** Starts following the log with the application (retrying while Kafka or Redis are away). */
@Injectable()
export class TimeTravelLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly follower: LogFollower,
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    void startWithRetries(
      this.follower,
      this.logger,
      'time travel (following the log)',
      () => this.shuttingDown,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.follower.stop();
  }
}

/** Ready once the log is read to the ends it had at start and the event-time checkpoints are built. */
@Injectable()
export class TimeTravelReadiness implements ReadinessCheck {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly follower: LogFollower,
  ) {}

  async check() {
    const session = this.indicator.check('time-travel');
    const status = this.follower.status;
    return status.ready ? session.up(status) : session.down(status);
  }
}

@Global()
@Module({
  controllers: [TimeTravelController],
  providers: [
    {
      provide: LogFollower,
      inject: [APP_CONFIG, KAFKA, REDIS, PinoLogger],
      useFactory: (config: AppConfig, kafka: Kafka, redis: Redis, logger: PinoLogger) =>
        new LogFollower(kafka, redis, new TimeTravel(), logger.logger, {
          groupPrefix: config.kafka.groupPrefix,
          topics: projectionTopics(config.kafka.topicPrefix),
          namespace: config.readModel.namespace,
          sessionTimeoutMs: config.kafka.sessionTimeoutMs,
        }),
    },
    TimeTravelReads,
    TimeTravelLifecycle,
  ],
  exports: [LogFollower],
})
export class TimeTravelModule {}

/** The time-travel process: the projection's configuration, its own HTTP routes. */
@Module({})
export class TimeTravelAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: TimeTravelAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        RedisModule.forRoot(),
        KafkaModule.forRoot(),
        HttpEdgeModule.forRoot(),
        TimeTravelModule,
        HealthModule.forRoot([RedisReadiness, TimeTravelReadiness]),
      ],
    };
  }
}

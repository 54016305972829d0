import { DynamicModule, Module } from '@nestjs/common';
import { DEFAULT_RELAY_TIMINGS, OutboxRelay, RELAY_TIMINGS, RelayTimings } from './outbox-relay';
import { EventFactory } from './event.factory';
import { OutboxMetrics } from './outbox.metrics';
import { RelayWakeup } from './relay-wakeup';
import { UnitOfWork } from './unit-of-work';

/**
 * The transactional outbox of a write service: `UnitOfWork` for its writes and the relay that
 * publishes what they commit. Needs the service's DatabaseModule (with `outboxMigrations`) and
 * KafkaModule.
 */
@Module({})
export class OutboxModule {
  static forRoot(timings: Partial<RelayTimings> = {}): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [
        UnitOfWork,
        EventFactory,
        OutboxRelay,
        OutboxMetrics,
        RelayWakeup,
        { provide: RELAY_TIMINGS, useValue: { ...DEFAULT_RELAY_TIMINGS, ...timings } },
      ],
      exports: [UnitOfWork, EventFactory, OutboxRelay],
    };
  }
}

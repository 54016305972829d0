import { DynamicModule, Module } from '@nestjs/common';
import { RetryPolicy } from '@tracker/kafka';
import { ShipmentsModule } from '../shipments/shipments.module';
import { INBOUND_RETRY, InboundConsumer } from './inbound.consumer';
import { InboundService } from './inbound.service';

/**
 * The retry budget of an inbound event that waits for a lagging view (a pledge announced a
 * moment ago): about 10 s of retries, then the dead-letter topic with the reason, so one early
 * event never holds its partition, and the producer's later events, for long.
 */
export const INBOUND_RETRY_BUDGET: RetryPolicy = {
  initialMs: 100,
  maxMs: 2000,
  giveUpAfterMs: 10_000,
};

/** The consumer of tracker.inbound.<org>.shipments.v1 (producer systems straight to Kafka). */
@Module({})
export class InboundModule {
  static forRoot(retry: RetryPolicy = INBOUND_RETRY_BUDGET): DynamicModule {
    return {
      module: InboundModule,
      imports: [ShipmentsModule],
      providers: [InboundConsumer, InboundService, { provide: INBOUND_RETRY, useValue: retry }],
    };
  }
}

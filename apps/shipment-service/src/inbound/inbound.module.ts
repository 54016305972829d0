import { DynamicModule, Module } from '@nestjs/common';
import { DEFAULT_RETRY, RetryPolicy } from '@tracker/kafka';
import { ShipmentsModule } from '../shipments/shipments.module';
import { INBOUND_RETRY, InboundConsumer } from './inbound.consumer';
import { InboundService } from './inbound.service';

/** The consumer of tracker.inbound.shipments.v1 (producer systems straight to Kafka). */
@Module({})
export class InboundModule {
  static forRoot(retry: RetryPolicy = DEFAULT_RETRY): DynamicModule {
    return {
      module: InboundModule,
      imports: [ShipmentsModule],
      providers: [InboundConsumer, InboundService, { provide: INBOUND_RETRY, useValue: retry }],
    };
  }
}

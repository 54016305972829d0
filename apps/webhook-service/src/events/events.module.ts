import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { EventFanoutRepository } from './event-fanout.repository';
import { EventFanoutService } from './event-fanout.service';
import { EventsConsumer } from './events.consumer';

@Module({
  imports: [DeliveriesModule],
  providers: [EventsConsumer, EventFanoutService, EventFanoutRepository],
})
export class EventsModule {}

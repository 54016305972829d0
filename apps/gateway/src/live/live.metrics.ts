import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@tracker/platform';
import { Gauge, Registry } from 'prom-client';
import { LiveService } from './live.service';

/** What `/metrics` says of `/live`: connections, what waits in slow clients' queues, merges. */
@Injectable()
export class LiveMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, live: LiveService) {
    const registers = [registry];
    // Read when scraped: the service keeps the counts, the gauges only report them.
    new Gauge({
      name: 'tracker_live_connections',
      help: 'Open /live connections on this gateway',
      registers,
      collect() {
        this.set(live.stats().connections);
      },
    });
    new Gauge({
      name: 'tracker_live_queued_updates',
      help: 'Updates waiting in the outboxes of clients that read slowly',
      registers,
      collect() {
        this.set(live.stats().queued);
      },
    });
    new Gauge({
      name: 'tracker_live_outbox_merges',
      help: 'Times a slow client’s queue overflowed and merged to the latest value per channel',
      registers,
      collect() {
        this.set(live.stats().merges);
      },
    });
  }
}

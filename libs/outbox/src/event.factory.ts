import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { buildEvent, EventOf, EventType, PayloadOf } from '@tracker/contracts';

/**
 * Builds the CloudEvents a service emits: `source` is `/<service>`, ids are UUID v7, `dataschema`
 * points at the gateway's `/schemas/<type>.json` under `PUBLIC_URL`, and the rest of the
 * envelope follows from the payload (`@tracker/contracts`' `buildEvent`).
 */
@Injectable()
export class EventFactory {
  private readonly source: string;
  private readonly schemaBaseUri: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.source = `/${config.service}`;
    this.schemaBaseUri = `${config.publicUrl}/schemas/`;
  }

  create<T extends EventType>(type: T, data: PayloadOf<T>): EventOf<T> {
    return buildEvent(type, data, { source: this.source, schemaBaseUri: this.schemaBaseUri });
  }

  /**
   * An event another system emitted (a producer on an inbound topic), as this service
   * re-publishes it once validated: its `id`, `source` and `time` are kept, so consumers dedupe
   * and attribute it as the original; `dataschema` and the derived attributes are this service's.
   */
  republish<T extends EventType>(
    type: T,
    data: PayloadOf<T>,
    original: { readonly id: string; readonly source: string; readonly time: string },
  ): EventOf<T> {
    const { id, source, time } = original;
    return buildEvent(type, data, { id, source, time, schemaBaseUri: this.schemaBaseUri });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { buildEvent, EventOf, EventType, PayloadOf } from '@tracker/contracts';

/**
 * Builds the CloudEvents a service emits: `source` is `/<service>`, ids are UUID v7, and the
 * envelope follows from the payload (`@tracker/contracts`' `buildEvent`).
 */
@Injectable()
export class EventFactory {
  private readonly source: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.source = `/${config.service}`;
  }

  create<T extends EventType>(type: T, data: PayloadOf<T>): EventOf<T> {
    return buildEvent(type, data, { source: this.source });
  }
}

import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { createKafkaClient } from '@tracker/kafka';
import { PinoLogger } from 'nestjs-pino';
import { EventsExportService, EXPORT_KAFKA } from './events-export.service';
import { ExportsController } from './exports.controller';
import { KielExportService } from './kiel-export.service';

/** `GET /v1/export/kiel.csv`, `kiel.xlsx` and `events.ndjson` (issue 18, part 4). */
@Module({
  controllers: [ExportsController],
  providers: [
    KielExportService,
    EventsExportService,
    {
      provide: EXPORT_KAFKA,
      inject: [APP_CONFIG, PinoLogger],
      useFactory: (config: AppConfig, logger: PinoLogger) =>
        createKafkaClient(config.kafka, logger.logger),
    },
  ],
})
export class ExportsModule {}

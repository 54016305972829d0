import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PledgesViewModule } from '../pledges-view/pledges-view.module';
import { ShipmentsModule } from '../shipments/shipments.module';
import { EpcisCaptureEntity } from './epcis-capture.entity';
import {
  DEFAULT_EPCIS_CAPTURE_OPTIONS,
  EPCIS_CAPTURE_OPTIONS,
  EpcisCaptureOptions,
  EpcisCaptureWakeup,
} from './epcis-capture.options';
import { EpcisCaptureRepository } from './epcis-capture.repository';
import { EpcisCaptureService } from './epcis-capture.service';
import { EpcisCaptureWorker } from './epcis-capture.worker';
import { EpcisController } from './epcis.controller';

/** EPCIS 2.0 capture: `POST /epcis/capture`, the job status, and the worker applying captures. */
@Module({})
export class EpcisModule {
  static forRoot(options: Partial<EpcisCaptureOptions> = {}): DynamicModule {
    return {
      module: EpcisModule,
      imports: [TypeOrmModule.forFeature([EpcisCaptureEntity]), ShipmentsModule, PledgesViewModule],
      controllers: [EpcisController],
      providers: [
        EpcisCaptureService,
        EpcisCaptureRepository,
        EpcisCaptureWorker,
        EpcisCaptureWakeup,
        {
          provide: EPCIS_CAPTURE_OPTIONS,
          useValue: { ...DEFAULT_EPCIS_CAPTURE_OPTIONS, ...options },
        },
      ],
    };
  }
}

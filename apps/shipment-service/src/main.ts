import 'reflect-metadata';
import { runService } from '@tracker/platform';
import { AppModule, prepareShipmentService } from './app.module';

void runService('shipment-service', (config) => AppModule.forRoot(config), prepareShipmentService);

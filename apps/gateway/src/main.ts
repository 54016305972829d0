import 'reflect-metadata';
import { runService } from '@tracker/platform';
import { AppModule, prepareGateway } from './app.module';

void runService('gateway', (config) => AppModule.forRoot(config), prepareGateway);

import 'reflect-metadata';
import { runService } from '@tracker/platform';
import { AppModule, preparePledgeService } from './app.module';

void runService('pledge-service', (config) => AppModule.forRoot(config), preparePledgeService);

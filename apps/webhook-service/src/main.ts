import 'reflect-metadata';
import { runService } from '@tracker/platform';
import { AppModule, prepareWebhookService } from './app.module';

void runService('webhook-service', (config) => AppModule.forRoot(config), prepareWebhookService);

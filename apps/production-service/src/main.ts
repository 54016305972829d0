import 'reflect-metadata';
import { runService } from '@tracker/platform';
import { AppModule, prepareProductionService } from './app.module';

void runService(
  'production-service',
  (config) => AppModule.forRoot(config),
  prepareProductionService,
);

import 'reflect-metadata';
import { runService } from '@tracker/platform';
import { AppModule } from './app.module';

void runService('projection-service', (config) => AppModule.forRoot(config));

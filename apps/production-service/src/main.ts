import 'reflect-metadata';
import { runService } from '@tracker/platform';
import { AppModule } from './app.module';

void runService('production-service', (config) => AppModule.forRoot(config));

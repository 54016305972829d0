import 'reflect-metadata';
import { runService } from '@tracker/platform';
import { AppModule } from './app.module';

void runService('gateway', (config) => AppModule.forRoot(config));

export * from './app-config';
export * from './auth-tokens';
export * from './config.module';
export * from './load-config';

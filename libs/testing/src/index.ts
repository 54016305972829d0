export * from './free-port';
export * from './builders';
export * from './services';
export * from './test-database';
export * from './test-redis';
export * from './wait-for';
export * from './test-service';
export * from './topic-watcher';

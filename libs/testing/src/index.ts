// Waiting and free ports are shared with runtime code (the launcher), so they live in
// @tracker/runtime; tests get them here with everything else they need.
export {
  DeadlineExceeded,
  freePort,
  waitFor,
  type Probe,
  type WaitOptions,
} from '@tracker/runtime';
export * from './builders';
export * from './services';
export * from './test-database';
export * from './test-redis';
export * from './unique-name';
export * from './test-service';
export * from './topic-watcher';
export * from './raw-live-socket';
export * from './refusal';
export * from './chromium';

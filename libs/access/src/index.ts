export * from './policy';
export * from './event-fact';

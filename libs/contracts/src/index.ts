// Public API of @tracker/contracts: the event language every app shares. Test helpers (fast-check
// arbitraries) live in ./testing and are not exported here, so production code never loads them.
export * from './alert.v1';
export * from './build-event';
export * from './clock-skew';
export * from './codec';
export * from './common';
export * from './dead-letter';
export * from './envelope';
export * from './events';
export * from './iso-3166';
export * from './json-schemas';
export * from './lot-number';
export type {
  KafkaHeaders,
  KafkaHeaderValue,
  KafkaMessageLike,
  SerializedEvent,
} from './kafka-message';
export * from './pledge.v1';
export * from './production.v1';
export * from './programme.v1';
export * from './shipment.v1';
export * from './stockpile.v1';
export * from './topics';
export * from './violation';

export * from './consumer-runner';
export * from './consumer.metrics';
export * from './dead-letter.publisher';
export * from './event-producer';
export * from './group-timing';
export * from './kafka-client';
export * from './kafka.module';
export * from './kafka.tokens';

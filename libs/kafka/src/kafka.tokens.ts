/** Injection token of the process's kafkajs client: `@Inject(KAFKA) kafka: Kafka`. */
export const KAFKA = Symbol('KAFKA');

/** Kafka header values as kafkajs hands them over (and accepts them). */
export type KafkaHeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type KafkaHeaders = Readonly<Record<string, KafkaHeaderValue>>;

/** A consumed Kafka message, as kafkajs' `KafkaMessage` has it. */
export interface KafkaMessageLike {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: KafkaHeaders;
}

/** What to hand to a Kafka producer for one event. */
export interface SerializedEvent {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

/**
 * The values of a header, looked up case-insensitively: Kafka header names are case-sensitive,
 * but HTTP-minded producers write `Content-Type`.
 */
export function headerValues(headers: KafkaHeaders, name: string): string[] {
  const wanted = name.toLowerCase();
  // A loop, not entries/filter/flatMap: every consumed message of every service passes here.
  const values: string[] = [];
  for (const header of Object.keys(headers)) {
    if (header.toLowerCase() !== wanted) continue;
    const value = headers[header];
    if (Array.isArray(value)) for (const item of value) values.push(item.toString());
    else if (value !== undefined) values.push(value.toString());
  }
  return values;
}

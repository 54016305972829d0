import { readDeadLetterHeaders } from '@tracker/contracts';
import { waitFor } from '@tracker/testing';
import type { Kafka } from 'kafkajs';

/** Reads `count` dead letters of `topic` from its beginning: original value and reason. */
export async function readDeadLetters(
  kafka: Kafka,
  topic: string,
  count: number,
): Promise<{ value: string; reason: string; sourceTopic: string }[]> {
  const consumer = kafka.consumer({ groupId: `dead-letters-${Date.now()}-${Math.random()}` });
  const letters: { value: string; reason: string; sourceTopic: string }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const info = readDeadLetterHeaders(message.headers ?? {});
        letters.push({
          value: message.value?.toString() ?? '',
          reason: info?.reason ?? '',
          sourceTopic: info?.sourceTopic ?? '',
        });
      },
    });
    await waitFor(`${count} dead letters on ${topic}`, () => letters.length >= count, {
      timeoutMs: 30_000,
    });
    return letters;
  } finally {
    await consumer.disconnect();
  }
}

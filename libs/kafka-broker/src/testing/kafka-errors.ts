import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';

/** Asserts that `promise` rejects with a KafkaProtocolError carrying `code`. */
export async function expectKafkaError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(KafkaProtocolError);
  await expect(promise).rejects.toMatchObject({ code });
}

/** The code of the KafkaProtocolError `run` throws; undefined when it throws nothing (or else). */
export function kafkaErrorCodeOf(run: () => unknown): ErrorCode | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof KafkaProtocolError ? error.code : undefined;
  }
}

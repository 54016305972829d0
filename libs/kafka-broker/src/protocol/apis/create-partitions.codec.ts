import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

export interface CreatePartitionsTopic {
  readonly name: string;
  /** The new total partition count. */
  readonly count: number;
  /** Broker ids per new partition; null (or empty, as kafkajs sends it) lets the broker choose. */
  readonly assignments: readonly number[][] | null;
}

export interface CreatePartitionsRequest {
  readonly topics: readonly CreatePartitionsTopic[];
  readonly timeoutMs: number;
  readonly validateOnly: boolean;
}

export interface CreatePartitionsResult {
  readonly name: string;
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
}

/** Versions 0–1 share a layout. */
export function decodeCreatePartitionsRequest(reader: Reader): CreatePartitionsRequest {
  const topics = reader.array((t) => {
    const name = t.string();
    const count = t.int32();
    const assignments = t.nullableArray((a) => a.int32Array());
    return { name, count, assignments };
  });
  const timeoutMs = reader.int32();
  return { topics, timeoutMs, validateOnly: reader.boolean() };
}

export function encodeCreatePartitionsResponse(
  writer: Writer,
  results: readonly CreatePartitionsResult[],
): void {
  writer.int32(0);
  writer.array(results, (w, result) => {
    w.string(result.name).int16(result.errorCode).nullableString(result.errorMessage);
  });
}

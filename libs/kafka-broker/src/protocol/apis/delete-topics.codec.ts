import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

export interface DeleteTopicResult {
  readonly name: string;
  readonly errorCode: ErrorCode;
}

/** Versions 0–3 share a layout. */
export function decodeDeleteTopicsRequest(reader: Reader): { names: string[]; timeoutMs: number } {
  const names = reader.stringArray();
  return { names, timeoutMs: reader.int32() };
}

/** v1 adds the throttle time; v2 and v3 change nothing on the wire. */
export function encodeDeleteTopicsResponse(
  writer: Writer,
  version: number,
  results: readonly DeleteTopicResult[],
): void {
  if (version >= 1) writer.int32(0);
  writer.array(results, (w, result) => w.string(result.name).int16(result.errorCode));
}

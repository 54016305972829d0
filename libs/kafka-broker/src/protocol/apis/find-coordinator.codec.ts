import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

/** Coordinator key types (v1+). Transactions (1) are not supported by the broker. */
export const CoordinatorType = { Group: 0, Transaction: 1 } as const;

export interface FindCoordinatorRequest {
  readonly key: string;
  readonly keyType: number;
}

export interface FindCoordinatorResponse {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export function decodeFindCoordinatorRequest(
  reader: Reader,
  version: number,
): FindCoordinatorRequest {
  const key = reader.string();
  const keyType = version >= 1 ? reader.int8() : CoordinatorType.Group;
  return { key, keyType };
}

export function encodeFindCoordinatorResponse(
  writer: Writer,
  version: number,
  response: FindCoordinatorResponse,
): void {
  if (version >= 1) writer.int32(0);
  writer.int16(response.errorCode);
  if (version >= 1) writer.nullableString(response.errorMessage);
  writer.int32(response.nodeId).string(response.host).int32(response.port);
}

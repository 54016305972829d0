import type { Reader } from '../reader';
import type { Writer } from '../writer';
import type { ErrorCode } from '../error-codes';

export interface ApiVersionEntry {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

export interface ApiVersionsRequest {
  readonly clientSoftwareName: string | null;
  readonly clientSoftwareVersion: string | null;
}

export interface ApiVersionsResponse {
  readonly errorCode: ErrorCode;
  readonly apiKeys: readonly ApiVersionEntry[];
}

/** v0–2 have an empty body; v3 (flexible, KIP-511) names the client software. */
export function decodeApiVersionsRequest(reader: Reader, version: number): ApiVersionsRequest {
  if (version < 3) return { clientSoftwareName: null, clientSoftwareVersion: null };
  const clientSoftwareName = reader.compactString();
  const clientSoftwareVersion = reader.compactString();
  reader.taggedFields();
  return { clientSoftwareName, clientSoftwareVersion };
}

/**
 * Encodes the body for `version`. Answering a too-new request uses version 0: the body then has
 * no throttle time and no tags, which is what Apache Kafka sends and what librdkafka's downgrade
 * logic expects (broker guide §1c).
 */
export function encodeApiVersionsResponse(
  writer: Writer,
  version: number,
  response: ApiVersionsResponse,
): void {
  writer.int16(response.errorCode);
  if (version >= 3) {
    writer.compactArray(response.apiKeys, (w, entry) => {
      w.int16(entry.apiKey).int16(entry.minVersion).int16(entry.maxVersion).emptyTaggedFields();
    });
    writer.int32(0).emptyTaggedFields();
    return;
  }
  writer.array(response.apiKeys, (w, entry) => {
    w.int16(entry.apiKey).int16(entry.minVersion).int16(entry.maxVersion);
  });
  if (version >= 1) writer.int32(0);
}

import type { Reader } from '../reader';
import type { ErrorCode } from '../error-codes';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_ApiVersions). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   ApiVersions Request (Version: 0-2) =>
 *   ApiVersions Request (Version: 3) => client_software_name client_software_version TAG_BUFFER
 *     client_software_name => COMPACT_STRING
 *     client_software_version => COMPACT_STRING
 *
 *   ApiVersions Response (Version: 0) => error_code [api_keys]
 *     error_code => INT16
 *     api_keys => api_key min_version max_version
 *       api_key => INT16
 *       min_version => INT16
 *       max_version => INT16
 *   ApiVersions Response (Version: 1-2) => error_code [api_keys] throttle_time_ms
 *     throttle_time_ms => INT32
 *   ApiVersions Response (Version: 3) => error_code [api_keys]<COMPACT> throttle_time_ms
 *       TAG_BUFFER
 *     api_keys => api_key min_version max_version TAG_BUFFER
 *
 * Version 3 is flexible (KIP-482), yet its response keeps header v0: a client must be able to read
 * it before it knows which versions the broker speaks. The optional tagged fields of v3
 * (supported and finalized features) are never sent.
 */

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
 * no throttle time and no tags, which is what Apache Kafka sends (KIP-511) and what librdkafka's
 * downgrade logic expects (see "Compatibility notes" in the broker README).
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
    writer.int32(NO_THROTTLE_MS).emptyTaggedFields();
    return;
  }
  writer.array(response.apiKeys, (w, entry) => {
    w.int16(entry.apiKey).int16(entry.minVersion).int16(entry.maxVersion);
  });
  if (version >= 1) writer.int32(NO_THROTTLE_MS);
}

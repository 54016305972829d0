import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_SaslAuthenticate).
 *
 *   SaslAuthenticate Request (Version: 0-1) => auth_bytes
 *     auth_bytes => BYTES
 *   SaslAuthenticate Request (Version: 2) => auth_bytes TAG_BUFFER
 *     auth_bytes => COMPACT_BYTES
 *
 *   SaslAuthenticate Response (Version: 0) => error_code error_message auth_bytes
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *     auth_bytes => BYTES
 *   SaslAuthenticate Response (Version: 1) => error_code error_message auth_bytes
 *       session_lifetime_ms
 *     session_lifetime_ms => INT64
 *   SaslAuthenticate Response (Version: 2) => error_code error_message auth_bytes
 *       session_lifetime_ms TAG_BUFFER
 *     error_message => COMPACT_NULLABLE_STRING
 *     auth_bytes => COMPACT_BYTES
 *
 * Version 2 is flexible (KIP-482): request header v2, response header v1.
 */

export interface SaslAuthenticateResponse {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
  readonly authBytes: Buffer;
}

/**
 * 0: the session never expires, so clients never re-authenticate (KIP-368 re-authentication
 * is not supported).
 */
export const UNLIMITED_SESSION_LIFETIME_MS = 0;

export function decodeSaslAuthenticateRequest(
  reader: Reader,
  version: number,
): { authBytes: Buffer } {
  if (version < 2) return { authBytes: reader.bytes() };
  const authBytes = reader.compactNullableBytes() ?? Buffer.alloc(0);
  reader.taggedFields();
  return { authBytes };
}

export function encodeSaslAuthenticateResponse(
  writer: Writer,
  version: number,
  response: SaslAuthenticateResponse,
): void {
  writer.int16(response.errorCode);
  if (version < 2) {
    writer.nullableString(response.errorMessage).bytes(response.authBytes);
    if (version >= 1) writer.int64(UNLIMITED_SESSION_LIFETIME_MS);
    return;
  }
  writer.compactNullableString(response.errorMessage);
  writer.uvarint(response.authBytes.length + 1).raw(response.authBytes);
  writer.int64(UNLIMITED_SESSION_LIFETIME_MS).emptyTaggedFields();
}

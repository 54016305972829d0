import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_SaslHandshake).
 *
 *   SaslHandshake Request (Version: 0-1) => mechanism
 *     mechanism => STRING
 *
 *   SaslHandshake Response (Version: 0-1) => error_code [mechanisms]
 *     error_code => INT16
 *     mechanisms => STRING
 *
 * The two versions share a layout; they differ in what follows (KIP-152): after v0 the client
 * sends bare size-prefixed SASL tokens, after v1 it wraps each in a SaslAuthenticate request.
 */

export function decodeSaslHandshakeRequest(reader: Reader): { mechanism: string } {
  return { mechanism: reader.string() };
}

export function encodeSaslHandshakeResponse(
  writer: Writer,
  errorCode: ErrorCode,
  mechanisms: readonly string[],
): void {
  writer.int16(errorCode);
  writer.array(mechanisms, (w, mechanism) => w.string(mechanism));
}

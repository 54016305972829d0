import {
  ApiKey,
  isFlexible,
  isSupportedApiKey,
  isSupportedVersion,
  SUPPORTED_VERSIONS,
} from './api-keys';
import { ProtocolDecodeError, Reader } from './reader';

/** Size of api_key + api_version + correlation_id: what a frame must hold at the least. */
export const MIN_HEADER_BYTES = 8;

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  /** Null for an unsupported key or version: the rest of the header was not parsed. */
  readonly clientId: string | null;
}

export interface ParsedRequest {
  readonly header: RequestHeader;
  /** Positioned at the first byte of the body; null when the body must not be parsed. */
  readonly body: Reader | null;
}

/**
 * Parses request header v1 (v2 for flexible versions: one more tagged-field section).
 *
 * For an unsupported key or version only api_key, api_version and correlation_id are read:
 * Apache Kafka does the same, so that a too-new ApiVersions request can still be answered even
 * though its header layout is unknown (KIP-511).
 */
export function parseRequest(frame: Buffer): ParsedRequest {
  if (frame.length < MIN_HEADER_BYTES) {
    throw new ProtocolDecodeError(`frame of ${frame.length} bytes is shorter than a header`);
  }
  const reader = new Reader(frame);
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const correlationId = reader.int32();
  if (!isSupportedApiKey(apiKey) || !isSupportedVersion(apiKey, apiVersion)) {
    return { header: { apiKey, apiVersion, correlationId, clientId: null }, body: null };
  }
  const clientId = reader.nullableString();
  if (isFlexible(apiKey, apiVersion)) reader.taggedFields();
  return { header: { apiKey, apiVersion, correlationId, clientId }, body: reader };
}

/**
 * True for an ApiVersions request newer than we speak, which gets the downgrade answer of KIP-511
 * (error 35 in a v0 body; see "Version negotiation" in the broker README).
 */
export function isTooNewApiVersions(header: RequestHeader): boolean {
  return (
    header.apiKey === (ApiKey.ApiVersions as number) &&
    header.apiVersion > SUPPORTED_VERSIONS[ApiKey.ApiVersions].max
  );
}

import { ApiKey, SUPPORTED_VERSIONS } from '../protocol/api-keys';
import {
  decodeApiVersionsRequest,
  encodeApiVersionsResponse,
  type ApiVersionEntry,
} from '../protocol/apis/api-versions.codec';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { ApiHandlers } from './api-handler';

const ADVERTISED: readonly ApiVersionEntry[] = Object.entries(SUPPORTED_VERSIONS)
  .map(([apiKey, range]) => ({
    apiKey: Number(apiKey),
    minVersion: range.min,
    maxVersion: range.max,
  }))
  .sort((a, b) => a.apiKey - b.apiKey);

/** ApiVersions v0–3. Too-new versions never get here: the connection answers those itself. */
export function createApiVersionsHandlers(): Pick<ApiHandlers, ApiKey.ApiVersions> {
  return {
    [ApiKey.ApiVersions]: async ({ body, version }) => {
      decodeApiVersionsRequest(body, version);
      const writer = new Writer();
      encodeApiVersionsResponse(writer, version, {
        errorCode: ErrorCode.NONE,
        apiKeys: ADVERTISED,
      });
      return writer;
    },
  };
}

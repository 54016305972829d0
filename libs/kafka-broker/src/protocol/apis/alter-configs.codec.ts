import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_AlterConfigs). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   AlterConfigs Request (Version: 0-1) => [resources] validate_only
 *     resources => resource_type resource_name [configs]
 *       resource_type => INT8
 *       resource_name => STRING
 *       configs => name value
 *         name => STRING
 *         value => NULLABLE_STRING
 *     validate_only => BOOLEAN
 *
 *   AlterConfigs Response (Version: 0-1) => throttle_time_ms [responses]
 *     throttle_time_ms => INT32
 *     responses => error_code error_message resource_type resource_name
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 *       resource_type => INT8
 *       resource_name => STRING
 *
 * AlterConfigs replaces the resource's whole set of overrides: a config it does not list goes
 * back to its default. IncrementalAlterConfigs answers with the same response layout.
 */

export interface AlterableConfig {
  readonly name: string;
  readonly value: string | null;
}

export interface AlterConfigsResource {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly configs: readonly AlterableConfig[];
}

export interface AlterConfigsRequest {
  readonly resources: readonly AlterConfigsResource[];
  readonly validateOnly: boolean;
}

export interface AlterConfigsResourceResponse {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
  readonly resourceType: number;
  readonly resourceName: string;
}

export function decodeAlterConfigsRequest(reader: Reader): AlterConfigsRequest {
  const resources = reader.array((r) => ({
    resourceType: r.int8(),
    resourceName: r.string(),
    configs: r.array((c) => ({ name: c.string(), value: c.nullableString() })),
  }));
  return { resources, validateOnly: reader.boolean() };
}

export function encodeAlterConfigsResponse(
  writer: Writer,
  responses: readonly AlterConfigsResourceResponse[],
): void {
  writer.int32(NO_THROTTLE_MS);
  writer.array(responses, (w, response) => {
    w.int16(response.errorCode).nullableString(response.errorMessage);
    w.int8(response.resourceType).string(response.resourceName);
  });
}

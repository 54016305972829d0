import type { Reader } from '../reader';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_IncrementalAlterConfigs). Only version 0 is
 * served: version 1 is flexible, and clients that speak it also speak 0.
 *
 *   IncrementalAlterConfigs Request (Version: 0) => [resources] validate_only
 *     resources => resource_type resource_name [configs]
 *       resource_type => INT8
 *       resource_name => STRING
 *       configs => name config_operation value
 *         name => STRING
 *         config_operation => INT8
 *         value => NULLABLE_STRING
 *     validate_only => BOOLEAN
 *
 *   IncrementalAlterConfigs Response (Version: 0) => throttle_time_ms [responses]
 *     throttle_time_ms => INT32
 *     responses => error_code error_message resource_type resource_name
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 *       resource_type => INT8
 *       resource_name => STRING
 *
 * The response is AlterConfigs's layout, so `encodeAlterConfigsResponse` writes it.
 */

/**
 * config_operation values (Kafka's AlterConfigOp.OpType, KIP-339): APPEND adds items to a LIST
 * config, SUBTRACT removes them.
 */
export const ConfigOperation = { Set: 0, Delete: 1, Append: 2, Subtract: 3 } as const;

export interface IncrementalConfig {
  readonly name: string;
  /** A raw int8 from the wire: an unknown operation is refused by the handler, not here. */
  readonly operation: number;
  readonly value: string | null;
}

export interface IncrementalAlterConfigsResource {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly configs: readonly IncrementalConfig[];
}

export interface IncrementalAlterConfigsRequest {
  readonly resources: readonly IncrementalAlterConfigsResource[];
  readonly validateOnly: boolean;
}

export function decodeIncrementalAlterConfigsRequest(
  reader: Reader,
): IncrementalAlterConfigsRequest {
  const resources = reader.array((r) => ({
    resourceType: r.int8(),
    resourceName: r.string(),
    configs: r.array((c) => ({
      name: c.string(),
      operation: c.int8(),
      value: c.nullableString(),
    })),
  }));
  return { resources, validateOnly: reader.boolean() };
}

import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_DescribeConfigs). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   DescribeConfigs Request (Version: 0) => [resources]
 *     resources => resource_type resource_name [configuration_keys]
 *       resource_type => INT8
 *       resource_name => STRING
 *       configuration_keys => STRING
 *   DescribeConfigs Request (Version: 1-2) => [resources] include_synonyms
 *     include_synonyms => BOOLEAN
 *   DescribeConfigs Request (Version: 3) => [resources] include_synonyms include_documentation
 *     include_documentation => BOOLEAN
 *
 *   DescribeConfigs Response (Version: 0) => throttle_time_ms [results]
 *     throttle_time_ms => INT32
 *     results => error_code error_message resource_type resource_name [configs]
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 *       resource_type => INT8
 *       resource_name => STRING
 *       configs => name value read_only is_default is_sensitive
 *         name => STRING
 *         value => NULLABLE_STRING
 *         read_only => BOOLEAN
 *         is_default => BOOLEAN
 *         is_sensitive => BOOLEAN
 *   DescribeConfigs Response (Version: 1-2) => throttle_time_ms [results]
 *     results => error_code error_message resource_type resource_name [configs]
 *       configs => name value read_only config_source is_sensitive [synonyms]
 *         config_source => INT8
 *         synonyms => name value source
 *           name => STRING
 *           value => NULLABLE_STRING
 *           source => INT8
 *   DescribeConfigs Response (Version: 3) => throttle_time_ms [results]
 *     results => error_code error_message resource_type resource_name [configs]
 *       configs => name value read_only config_source is_sensitive [synonyms] config_type
 *           documentation
 *         config_type => INT8
 *         documentation => NULLABLE_STRING
 *
 * configuration_keys is nullable: null (kafkajs also sends an empty array) asks for every config.
 */

/** Resource types of the config APIs (Kafka's ConfigResource.Type). */
export const ConfigResourceType = { Topic: 2, Broker: 4, BrokerLogger: 8 } as const;

/** Where a described value comes from (Kafka's DescribeConfigsResponse.ConfigSource). */
export enum ConfigSource {
  Unknown = 0,
  DynamicTopicConfig = 1,
  DynamicBrokerConfig = 2,
  DynamicDefaultBrokerConfig = 3,
  StaticBrokerConfig = 4,
  DefaultConfig = 5,
  DynamicBrokerLoggerConfig = 6,
}

export interface DescribeConfigsResource {
  readonly resourceType: number;
  readonly resourceName: string;
  /** Null (or empty) for every config of the resource. */
  readonly configurationKeys: readonly string[] | null;
}

export interface DescribeConfigsRequest {
  readonly resources: readonly DescribeConfigsResource[];
  /** v1+; false before. */
  readonly includeSynonyms: boolean;
  /** v3+; false before. */
  readonly includeDocumentation: boolean;
}

export interface ConfigSynonym {
  readonly name: string;
  readonly value: string | null;
  readonly source: ConfigSource;
}

export interface DescribedConfig {
  readonly name: string;
  readonly value: string | null;
  readonly readOnly: boolean;
  readonly source: ConfigSource;
  readonly isSensitive: boolean;
  /** Most significant first: the value in force, then what it overrides. */
  readonly synonyms: readonly ConfigSynonym[];
  /** Kafka's ConfigEntry.ConfigType number. */
  readonly configType: number;
  readonly documentation: string | null;
}

export interface DescribeConfigsResult {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
  readonly resourceType: number;
  readonly resourceName: string;
  readonly configs: readonly DescribedConfig[];
}

export function decodeDescribeConfigsRequest(
  reader: Reader,
  version: number,
): DescribeConfigsRequest {
  const resources = reader.array((r) => ({
    resourceType: r.int8(),
    resourceName: r.string(),
    configurationKeys: r.nullableArray((k) => k.string()),
  }));
  const includeSynonyms = version >= 1 ? reader.boolean() : false;
  const includeDocumentation = version >= 3 ? reader.boolean() : false;
  return { resources, includeSynonyms, includeDocumentation };
}

/**
 * v0 has is_default where later versions have config_source: a value is "default" when
 * nothing (neither the topic nor the broker's configuration) sets it.
 */
export function encodeDescribeConfigsResponse(
  writer: Writer,
  version: number,
  results: readonly DescribeConfigsResult[],
): void {
  writer.int32(NO_THROTTLE_MS);
  writer.array(results, (w, result) => {
    w.int16(result.errorCode).nullableString(result.errorMessage);
    w.int8(result.resourceType).string(result.resourceName);
    w.array(result.configs, (cw, config) => {
      cw.string(config.name).nullableString(config.value).boolean(config.readOnly);
      if (version === 0) cw.boolean(config.source === ConfigSource.DefaultConfig);
      else cw.int8(config.source);
      cw.boolean(config.isSensitive);
      if (version === 0) return;
      cw.array(config.synonyms, (sw, synonym) => {
        sw.string(synonym.name).nullableString(synonym.value).int8(synonym.source);
      });
      if (version >= 3) cw.int8(config.configType).nullableString(config.documentation);
    });
  });
}

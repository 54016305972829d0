import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_Metadata). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   Metadata Request (Version: 0-3) => [topics]
 *     topics => name
 *       name => STRING
 *   Metadata Request (Version: 4-6) => [topics] allow_auto_topic_creation
 *     allow_auto_topic_creation => BOOLEAN
 *
 *   Metadata Response (Version: 0) => [brokers] [topics]
 *     brokers => node_id host port
 *       node_id => INT32
 *       host => STRING
 *       port => INT32
 *     topics => error_code name [partitions]
 *       error_code => INT16
 *       name => STRING
 *       partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
 *         error_code => INT16
 *         partition_index => INT32
 *         leader_id => INT32
 *         replica_nodes => INT32
 *         isr_nodes => INT32
 *   Metadata Response (Version: 1) => [brokers] controller_id [topics]
 *     brokers => node_id host port rack
 *       rack => NULLABLE_STRING
 *     controller_id => INT32
 *     topics => error_code name is_internal [partitions]
 *       is_internal => BOOLEAN
 *   Metadata Response (Version: 2) => [brokers] cluster_id controller_id [topics]
 *     cluster_id => NULLABLE_STRING
 *   Metadata Response (Version: 3-4) => throttle_time_ms [brokers] cluster_id controller_id
 *       [topics]
 *     throttle_time_ms => INT32
 *   Metadata Response (Version: 5-6) => throttle_time_ms [brokers] cluster_id controller_id
 *       [topics]
 *     topics => error_code name is_internal [partitions]
 *       partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
 *           [offline_replicas]
 *         offline_replicas => INT32
 *
 * The topics array is nullable from v1: null asks for every topic.
 */

/** Racks are not modelled: the one broker has none. */
const NO_RACK = null;
/** The broker keeps its committed offsets outside any topic, so no topic is internal. */
const IS_INTERNAL = false;
/** With one replica per partition, a listed replica is never offline. */
const NO_OFFLINE_REPLICAS: readonly number[] = [];

export interface MetadataRequest {
  /** Null means every topic (v0 expresses that with an empty array). */
  readonly topics: readonly string[] | null;
  readonly allowAutoTopicCreation: boolean;
}

export interface MetadataBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export interface MetadataPartition {
  readonly errorCode: ErrorCode;
  readonly partitionIndex: number;
  readonly leaderId: number;
  readonly replicaNodes: readonly number[];
  readonly isrNodes: readonly number[];
}

export interface MetadataTopic {
  readonly errorCode: ErrorCode;
  readonly name: string;
  readonly partitions: readonly MetadataPartition[];
}

export interface MetadataResponse {
  readonly brokers: readonly MetadataBroker[];
  readonly clusterId: string;
  readonly controllerId: number;
  readonly topics: readonly MetadataTopic[];
}

/**
 * v0: `[]` means all topics. v1+: null means all topics and `[]` means none (librdkafka's
 * brokers-only query). v0–3 imply allow_auto_topic_creation = true; v4 makes it explicit.
 */
export function decodeMetadataRequest(reader: Reader, version: number): MetadataRequest {
  const names = reader.nullableArray((r) => r.string());
  const topics = version === 0 && names !== null && names.length === 0 ? null : names;
  const allowAutoTopicCreation = version >= 4 ? reader.boolean() : true;
  return { topics, allowAutoTopicCreation };
}

export function encodeMetadataResponse(
  writer: Writer,
  version: number,
  response: MetadataResponse,
): void {
  if (version >= 3) writer.int32(NO_THROTTLE_MS);
  writer.array(response.brokers, (w, broker) => {
    w.int32(broker.nodeId).string(broker.host).int32(broker.port);
    if (version >= 1) w.nullableString(NO_RACK);
  });
  if (version >= 2) writer.nullableString(response.clusterId);
  if (version >= 1) writer.int32(response.controllerId);
  writer.array(response.topics, (w, topic) => {
    w.int16(topic.errorCode).string(topic.name);
    if (version >= 1) w.boolean(IS_INTERNAL);
    w.array(topic.partitions, (pw, partition) => {
      pw.int16(partition.errorCode).int32(partition.partitionIndex).int32(partition.leaderId);
      pw.int32Array(partition.replicaNodes).int32Array(partition.isrNodes);
      if (version >= 5) pw.int32Array(NO_OFFLINE_REPLICAS);
    });
  });
}

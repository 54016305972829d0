import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

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
  if (version >= 3) writer.int32(0);
  writer.array(response.brokers, (w, broker) => {
    w.int32(broker.nodeId).string(broker.host).int32(broker.port);
    if (version >= 1) w.nullableString(null);
  });
  if (version >= 2) writer.nullableString(response.clusterId);
  if (version >= 1) writer.int32(response.controllerId);
  writer.array(response.topics, (w, topic) => {
    w.int16(topic.errorCode).string(topic.name);
    if (version >= 1) w.boolean(false);
    w.array(topic.partitions, (pw, partition) => {
      pw.int16(partition.errorCode).int32(partition.partitionIndex).int32(partition.leaderId);
      pw.int32Array(partition.replicaNodes).int32Array(partition.isrNodes);
      if (version >= 5) pw.int32Array([]);
    });
  });
}

export { NO_APPEND_TIME } from './append-policy';
export { LogManager, type LogManagerOptions, type TopicInfo } from './log-manager';
export { KAFKA_LOG_DEFAULTS, type FsyncPolicy, type LogConfig } from './log-config';
export { PartitionLog, type AppendResult, type PartitionLogOptions } from './partition-log';
export {
  BATCH_HEADER_SIZE,
  BatchField,
  CompressionCodec,
  LOG_OVERHEAD,
  MAGIC_V2,
  TimestampType,
  assignOffsets,
  parseRecordBatches,
  readRecordHead,
  rewriteBaseOffset,
  validateProducedBatches,
  type RecordBatchInfo,
  type RecordHead,
} from './record-batch';
export { checkTopicConfig, resolveTopicConfig, validateTopicName } from './topic-config';
export {
  ConfigType,
  LONG_MAX,
  TOPIC_CONFIGS,
  type TopicConfigDefinition,
} from './topic-config-catalogue';

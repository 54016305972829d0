export { LogManager, type LogManagerOptions, type TopicInfo } from './log-manager';
export type { FsyncPolicy, LogConfig } from './log-config';
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
export { SUPPORTED_TOPIC_CONFIGS, resolveTopicConfig, validateTopicName } from './topic-config';

import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { Reader } from '../protocol/reader';
import type { LogConfig } from './log-config';
import {
  BATCH_HEADER_SIZE,
  CompressionCodec,
  TimestampType,
  readRecordHead,
  stampLogAppendTime,
  type RecordBatchInfo,
} from './record-batch';

/** log_append_time of a CreateTime append. */
export const NO_APPEND_TIME = -1;
/** A record without a timestamp (never in RecordBatch v2 from current clients): not checked. */
const NO_TIMESTAMP = -1;

/**
 * What a topic's config demands of produced batches that passed `validateProducedBatches`, in
 * the order of Kafka's LogValidator: no batch above max.message.bytes (MESSAGE_TOO_LARGE); on a
 * CreateTime topic no record timestamp further than message.timestamp.before.max.ms behind or
 * .after.max.ms ahead of `now` (INVALID_TIMESTAMP); on a LogAppendTime topic every batch is
 * stamped with `now`. Returns the log append time, or -1 for CreateTime.
 *
 * Records of compressed batches are not inflated (see `validateProducedBatches`), so their
 * timestamps are judged by the batch's first and largest timestamp.
 * @throws KafkaProtocolError MESSAGE_TOO_LARGE or INVALID_TIMESTAMP; nothing is modified then
 */
export function applyTopicPolicy(
  blob: Buffer,
  batches: RecordBatchInfo[],
  config: LogConfig,
  now: number,
): number {
  for (const batch of batches) {
    if (batch.size > config.maxMessageBytes) {
      throw new KafkaProtocolError(
        ErrorCode.MESSAGE_TOO_LARGE,
        `batch of ${batch.size} bytes exceeds max.message.bytes ${config.maxMessageBytes}`,
      );
    }
  }
  if (config.timestampType === TimestampType.LogAppendTime) {
    for (const batch of batches) stampLogAppendTime(blob, batch, now);
    return now;
  }
  // Kafka's default for both limits is Long.MAX_VALUE: nothing to check, and no record to walk.
  const limited = (ms: number): boolean => ms < Number.MAX_SAFE_INTEGER;
  if (limited(config.timestampBeforeMaxMs) || limited(config.timestampAfterMaxMs)) {
    const earliest = now - config.timestampBeforeMaxMs;
    const latest = now + config.timestampAfterMaxMs;
    for (const batch of batches) {
      const outside = recordTimestamps(blob, batch).find(
        (timestamp) => timestamp !== NO_TIMESTAMP && (timestamp < earliest || timestamp > latest),
      );
      if (outside !== undefined) {
        throw new KafkaProtocolError(
          ErrorCode.INVALID_TIMESTAMP,
          `timestamp ${outside} is outside [${earliest}, ${latest}] allowed by ` +
            'message.timestamp.before.max.ms and message.timestamp.after.max.ms',
        );
      }
    }
  }
  return NO_APPEND_TIME;
}

function recordTimestamps(blob: Buffer, batch: RecordBatchInfo): number[] {
  if (batch.compression !== CompressionCodec.None) {
    return [batch.baseTimestamp, batch.maxTimestamp];
  }
  const reader = new Reader(
    blob.subarray(batch.position + BATCH_HEADER_SIZE, batch.position + batch.size),
  );
  const timestamps: number[] = [];
  for (let i = 0; i < batch.recordCount; i++) {
    timestamps.push(batch.baseTimestamp + readRecordHead(reader).timestampDelta);
  }
  return timestamps;
}

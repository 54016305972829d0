import { ApiKey } from '../protocol/api-keys';
import {
  decodeListOffsetsRequest,
  EARLIEST_TIMESTAMP,
  encodeListOffsetsResponse,
  LATEST_TIMESTAMP,
  type ListOffsetsPartitionResponse,
} from '../protocol/apis/list-offsets.codec';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { AclOperation, AclResourceType } from '../security/acl';
import type { PartitionLog } from '../storage';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';
import { errorCodeOf } from './error-mapping';
import { exactOffsetForTimestamp } from './record-timestamp-lookup';

/**
 * ListOffsets v0–3: -2 → log start offset, -1 → log end offset (= high watermark = last stable
 * offset: one replica, no transactions), any other timestamp → the first record whose timestamp
 * reaches it, or offset -1 when none does. A topic the principal may not DESCRIBE gets
 * TOPIC_AUTHORIZATION_FAILED for each partition.
 */
export function createListOffsetsHandlers(
  broker: BrokerContext,
): Pick<ApiHandlers, ApiKey.ListOffsets> {
  return {
    [ApiKey.ListOffsets]: async ({ body, version, session }) => {
      const request = decodeListOffsetsRequest(body, version);
      const topics = [];
      for (const topic of request.topics) {
        const partitions: ListOffsetsPartitionResponse[] = [];
        const allowed = session.allows(AclOperation.DESCRIBE, AclResourceType.TOPIC, topic.name);
        for (const { partition, timestamp } of topic.partitions) {
          const log = broker.logs.partition(topic.name, partition);
          partitions.push(
            allowed
              ? await lookUp(log, partition, timestamp)
              : {
                  partition,
                  errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
                  timestamp: -1,
                  offset: -1,
                },
          );
        }
        topics.push({ name: topic.name, partitions });
      }
      const writer = new Writer();
      encodeListOffsetsResponse(writer, version, topics);
      return writer;
    },
  };
}

async function lookUp(
  log: PartitionLog | undefined,
  partition: number,
  timestamp: number,
): Promise<ListOffsetsPartitionResponse> {
  const result = { partition, errorCode: ErrorCode.NONE, timestamp: -1, offset: -1 };
  if (log === undefined) return { ...result, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
  if (timestamp === EARLIEST_TIMESTAMP) return { ...result, offset: log.logStartOffset };
  if (timestamp === LATEST_TIMESTAMP) return { ...result, offset: log.logEndOffset };
  try {
    const found = await log.offsetForTimestamp(timestamp);
    if (found === null) return result;
    const exact = await exactOffsetForTimestamp(log, found, timestamp);
    // The batch found may begin below a start that DeleteRecords moved into its middle.
    return { ...result, ...exact, offset: Math.max(exact.offset, log.logStartOffset) };
  } catch (error) {
    return { ...result, errorCode: errorCodeOf(error) };
  }
}

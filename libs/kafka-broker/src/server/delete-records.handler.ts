import { ApiKey } from '../protocol/api-keys';
import {
  decodeDeleteRecordsRequest,
  encodeDeleteRecordsResponse,
  type DeleteRecordsPartitionResult,
} from '../protocol/apis/delete-records.codec';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { AclOperation, AclResourceType } from '../security/acl';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';
import { errorCodeOf } from './error-mapping';

/**
 * DeleteRecords v0–1: moves each partition's log start offset forward (see
 * `PartitionLog.deleteRecordsBefore`) and answers with the new low watermark. A single node has
 * no followers to wait for, so the answer comes once the new start is stored. A topic the
 * principal may not DELETE from gets TOPIC_AUTHORIZATION_FAILED for each partition.
 */
export function createDeleteRecordsHandlers(
  broker: BrokerContext,
): Pick<ApiHandlers, ApiKey.DeleteRecords> {
  return {
    [ApiKey.DeleteRecords]: async ({ body, session }) => {
      const request = decodeDeleteRecordsRequest(body);
      const topics = [];
      for (const topic of request.topics) {
        const partitions: DeleteRecordsPartitionResult[] = [];
        const allowed = session.allows(AclOperation.DELETE, AclResourceType.TOPIC, topic.name);
        for (const { partition, offset } of topic.partitions) {
          partitions.push(
            allowed
              ? await deleteRecords(broker, topic.name, partition, offset)
              : { partition, lowWatermark: -1, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED },
          );
        }
        topics.push({ name: topic.name, partitions });
      }
      const writer = new Writer();
      encodeDeleteRecordsResponse(writer, topics);
      return writer;
    },
  };
}

async function deleteRecords(
  broker: BrokerContext,
  topic: string,
  partition: number,
  offset: number,
): Promise<DeleteRecordsPartitionResult> {
  const log = broker.logs.partition(topic, partition);
  if (log === undefined) {
    return { partition, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
  }
  try {
    const lowWatermark = await log.deleteRecordsBefore(offset);
    broker.logger.info({ topic, partition, lowWatermark }, 'records deleted');
    return { partition, lowWatermark, errorCode: ErrorCode.NONE };
  } catch (error) {
    if (!(error instanceof KafkaProtocolError)) {
      broker.logger.error({ err: error, topic, partition }, 'deleting records failed');
    }
    return { partition, lowWatermark: -1, errorCode: errorCodeOf(error) };
  }
}

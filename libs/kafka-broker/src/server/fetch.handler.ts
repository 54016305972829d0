import { ApiKey } from '../protocol/api-keys';
import {
  decodeFetchRequest,
  encodeFetchResponse,
  type FetchPartitionResponse,
  type FetchRequest,
  type FetchTopicResponse,
} from '../protocol/apis/fetch.codec';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { AclOperation, AclResourceType } from '../security/acl';
import type { PartitionLog } from '../storage';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';
import { errorCodeOf } from './error-mapping';
import { AppendWaiter } from './append-waiter';
import type { ConnectionSession } from './connection-session';

const EMPTY = Buffer.alloc(0);

interface FetchResult {
  readonly topics: FetchTopicResponse[];
  readonly bytes: number;
  readonly hasError: boolean;
}

/**
 * Fetch v4–11 with long polling: answered at once when the data found reaches min_bytes or a
 * partition has an error; otherwise parked until an append to a requested partition (then
 * re-read) or until max_wait_ms, never longer: kafkajs heartbeats only between fetches, so an
 * over-long poll would cost it its group membership.
 */
export function createFetchHandlers(broker: BrokerContext): Pick<ApiHandlers, ApiKey.Fetch> {
  return {
    [ApiKey.Fetch]: async ({ body, version, signal, session }) => {
      const request = decodeFetchRequest(body, version);
      const deadline = Date.now() + Math.max(0, request.maxWaitMs);
      let result: FetchResult;
      for (;;) {
        // Subscribed before reading, so an append landing during the read is not missed.
        const waiter = new AppendWaiter(requestedLogs(broker, request));
        try {
          result = await readPartitions(broker, session, request);
          const remaining = deadline - Date.now();
          if (result.bytes >= request.minBytes || result.hasError || remaining <= 0) break;
          if (signal.aborted) break;
          broker.stats.parkedFetches += 1;
          try {
            await waiter.wait(remaining, signal);
          } finally {
            broker.stats.parkedFetches -= 1;
          }
        } finally {
          waiter.cancel();
        }
      }
      const writer = new Writer();
      encodeFetchResponse(writer, version, result.topics);
      return writer;
    },
  };
}

function requestedLogs(broker: BrokerContext, request: FetchRequest): PartitionLog[] {
  const logs: PartitionLog[] = [];
  for (const topic of request.topics) {
    for (const { partition } of topic.partitions) {
      const log = broker.logs.partition(topic.name, partition);
      if (log !== undefined) logs.push(log);
    }
  }
  return logs;
}

/**
 * Reads every requested partition in request order with the KIP-74 limits: each partition gets
 * min(partition_max_bytes, what is left of max_bytes), except that the first batch of the first
 * non-empty partition is returned whole even above both, so a consumer never stalls on a batch
 * larger than its limits. Later partitions may get nothing but still report their watermarks.
 * A topic the principal may not READ gets TOPIC_AUTHORIZATION_FAILED for each partition.
 */
async function readPartitions(
  broker: BrokerContext,
  session: ConnectionSession,
  request: FetchRequest,
): Promise<FetchResult> {
  let remaining = request.maxBytes;
  let bytes = 0;
  let hasError = false;
  const topics: FetchTopicResponse[] = [];
  for (const topic of request.topics) {
    const partitions: FetchPartitionResponse[] = [];
    if (!session.allows(AclOperation.READ, AclResourceType.TOPIC, topic.name)) {
      for (const { partition } of topic.partitions) {
        partitions.push(noData(partition, ErrorCode.TOPIC_AUTHORIZATION_FAILED));
      }
      topics.push({ name: topic.name, partitions });
      hasError = true;
      continue;
    }
    for (const wanted of topic.partitions) {
      const log = broker.logs.partition(topic.name, wanted.partition);
      const limit = Math.min(wanted.partitionMaxBytes, remaining);
      const response = await readPartition(
        log,
        wanted.partition,
        wanted.fetchOffset,
        limit,
        bytes === 0,
      );
      partitions.push(response);
      hasError ||= response.errorCode !== ErrorCode.NONE;
      bytes += response.records.length;
      remaining -= response.records.length;
    }
    topics.push({ name: topic.name, partitions });
  }
  return { topics, bytes, hasError };
}

async function readPartition(
  log: PartitionLog | undefined,
  partition: number,
  fetchOffset: number,
  limit: number,
  minOneBatch: boolean,
): Promise<FetchPartitionResponse> {
  if (log === undefined) return noData(partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  let records: Buffer = EMPTY;
  let errorCode = ErrorCode.NONE;
  try {
    if (limit > 0 || minOneBatch)
      records = await log.read(fetchOffset, Math.max(limit, 0), minOneBatch);
  } catch (error) {
    errorCode = errorCodeOf(error);
  }
  // Read after the data, so the high watermark is never below the last offset returned.
  return {
    partition,
    errorCode,
    highWatermark: log.logEndOffset,
    logStartOffset: log.logStartOffset,
    records,
  };
}

function noData(partition: number, errorCode: ErrorCode): FetchPartitionResponse {
  return { partition, errorCode, highWatermark: -1, logStartOffset: -1, records: EMPTY };
}

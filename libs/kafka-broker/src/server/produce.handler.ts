import { ApiKey } from '../protocol/api-keys';
import {
  decodeProduceRequest,
  encodeProduceResponse,
  type ProducePartitionData,
  type ProducePartitionResponse,
  type ProduceRequest,
  type ProduceTopicResponse,
} from '../protocol/apis/produce.codec';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { AclOperation, AclResourceType } from '../security/acl';
import {
  NO_APPEND_TIME,
  parseRecordBatches,
  type AppendResult,
  type PartitionLog,
  type RecordBatchInfo,
} from '../storage';
import { CloseConnectionSignal, type ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';
import { errorCodeOf } from './error-mapping';
import { addSequence, partitionKey, type SequencedBatch } from './producer-sequences';
import type { ConnectionSession } from './connection-session';
import { mayCreate } from './metadata.handler';
import { autoCreateTopic } from './topic-auto-creation';

const VALID_ACKS = new Set([0, 1, -1]);

/**
 * Produce v3–7. Batches are stored exactly as produced (compressed ones included); the response
 * echoes exactly the requested topics and partitions, in order (librdkafka rejects anything
 * else). acks=0 gets no response at all: kafkajs and librdkafka expect none. Partitions are
 * appended concurrently; the response waits for all of them (durable under fsync 'always').
 */
export function createProduceHandlers(broker: BrokerContext): Pick<ApiHandlers, ApiKey.Produce> {
  return {
    [ApiKey.Produce]: async ({ body, version, session }) => {
      const request = decodeProduceRequest(body);
      const refusal = refuseRequest(broker, request);
      if (broker.settings.autoCreateTopics && refusal === undefined) {
        await createMissingTopics(broker, session, request);
      }
      const topics = await Promise.all(
        request.topics.map(async (topic): Promise<ProduceTopicResponse> => {
          // WRITE on the topic, per topic as Kafka checks it. It also covers idempotent
          // batches: since Kafka 2.8 (KIP-679) WRITE on a topic suffices there as well as
          // IDEMPOTENT_WRITE on the cluster.
          const topicRefusal =
            refusal ??
            (session.allows(AclOperation.WRITE, AclResourceType.TOPIC, topic.name)
              ? undefined
              : ErrorCode.TOPIC_AUTHORIZATION_FAILED);
          return {
            name: topic.name,
            partitions: await Promise.all(
              topic.partitions.map((data) =>
                topicRefusal === undefined
                  ? producePartition(broker, topic.name, data)
                  : Promise.resolve(failed(data.partition, topicRefusal)),
              ),
            ),
          };
        }),
      );
      if (request.acks === 0) return noResponse(topics);
      const writer = new Writer();
      encodeProduceResponse(writer, version, topics);
      return writer;
    },
  };
}

/** Whole-request refusals: transactions are not supported, and acks must be 0, 1 or -1. */
function refuseRequest(broker: BrokerContext, request: ProduceRequest): ErrorCode | undefined {
  if (request.transactionalId !== null) {
    broker.logger.warn(
      { transactionalId: request.transactionalId },
      'refusing a transactional produce: transactions are not supported',
    );
    return ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
  }
  return VALID_ACKS.has(request.acks) ? undefined : ErrorCode.INVALID_REQUIRED_ACKS;
}

/** Auto-creates the missing topics the principal may both write and create. */
async function createMissingTopics(
  broker: BrokerContext,
  session: ConnectionSession,
  request: ProduceRequest,
): Promise<void> {
  for (const { name } of request.topics) {
    if (
      broker.logs.getTopic(name) === undefined &&
      session.allows(AclOperation.WRITE, AclResourceType.TOPIC, name) &&
      mayCreate(session, name)
    ) {
      await autoCreateTopic(broker, name);
    }
  }
}

async function producePartition(
  broker: BrokerContext,
  topic: string,
  data: ProducePartitionData,
): Promise<ProducePartitionResponse> {
  const log = broker.logs.partition(topic, data.partition);
  if (log === undefined) return failed(data.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  try {
    const records = data.records ?? Buffer.alloc(0);
    const sequenced = sequencedBatch(parseRecordBatches(records));
    const appended =
      sequenced === undefined
        ? await log.append(records)
        : await appendIdempotent(
            broker,
            log,
            partitionKey(topic, data.partition),
            sequenced,
            records,
          );
    if ('errorCode' in appended) return failed(data.partition, appended.errorCode);
    return {
      partition: data.partition,
      errorCode: ErrorCode.NONE,
      baseOffset: appended.baseOffset,
      logAppendTimeMs: appended.logAppendTime,
      logStartOffset: log.logStartOffset,
    };
  } catch (error) {
    const errorCode = errorCodeOf(error);
    if (
      errorCode === ErrorCode.KAFKA_STORAGE_ERROR ||
      errorCode === ErrorCode.UNKNOWN_SERVER_ERROR
    ) {
      broker.logger.error({ err: error, topic, partition: data.partition }, 'append failed');
    }
    return failed(data.partition, errorCode);
  }
}

/**
 * Appends a batch of an idempotent producer unless it duplicates one of the producer's last
 * batches (then the original base offset is returned and nothing is written) or leaves a
 * sequence gap (OUT_OF_ORDER_SEQUENCE_NUMBER).
 */
async function appendIdempotent(
  broker: BrokerContext,
  log: PartitionLog,
  key: string,
  batch: SequencedBatch,
  records: Buffer,
): Promise<Pick<AppendResult, 'baseOffset' | 'logAppendTime'> | { errorCode: ErrorCode }> {
  if (!broker.sequences.knows(key, batch.producerId)) {
    await seedFromLogTail(broker, log, key, batch.producerId);
  }
  const verdict = broker.sequences.check(key, batch);
  switch (verdict.kind) {
    case 'duplicate':
      // Only the base offset of a tracked batch is kept: a duplicate on a LogAppendTime topic
      // is answered without its original append time (Kafka would repeat it).
      return { baseOffset: await verdict.baseOffset, logAppendTime: NO_APPEND_TIME };
    case 'reject':
      return { errorCode: verdict.errorCode };
    case 'append': {
      const appended = log.append(records);
      broker.sequences.track(
        key,
        batch,
        appended.then((result) => result.baseOffset),
      );
      return appended;
    }
  }
}

/**
 * After a restart the in-memory sequence state is gone, but a producer retrying its last batch
 * (written before the crash, never acknowledged) must still not create a duplicate: the last
 * stored batch of the partition is read back to seed the state when it belongs to that producer.
 */
async function seedFromLogTail(
  broker: BrokerContext,
  log: PartitionLog,
  key: string,
  producerId: number,
): Promise<void> {
  if (log.logEndOffset <= log.logStartOffset) return;
  const tail = await log.read(log.logEndOffset - 1, 1, true);
  const last = parseRecordBatches(tail).at(-1);
  const stored = last && sequencedBatch([last]);
  if (stored?.producerId === producerId && last) {
    broker.sequences.track(key, stored, Promise.resolve(last.baseOffset));
  }
}

/** The idempotence fields of a records blob, or undefined for a non-idempotent producer. */
function sequencedBatch(batches: readonly RecordBatchInfo[]): SequencedBatch | undefined {
  const first = batches[0];
  const last = batches.at(-1);
  if (first === undefined || last === undefined || first.producerId < 0) return undefined;
  return {
    producerId: first.producerId,
    producerEpoch: first.producerEpoch,
    firstSequence: first.baseSequence,
    lastSequence: addSequence(last.baseSequence, last.lastOffsetDelta),
  };
}

/**
 * acks=0 is never answered; when a partition failed, the connection is closed instead, as Apache
 * Kafka does, so the producer notices and refreshes its metadata.
 */
function noResponse(topics: readonly ProduceTopicResponse[]): null {
  for (const topic of topics) {
    const failure = topic.partitions.find((p) => p.errorCode !== ErrorCode.NONE);
    if (failure) {
      throw new CloseConnectionSignal(
        `acks=0 produce to ${topic.name}-${failure.partition} failed with error ${failure.errorCode}`,
      );
    }
  }
  return null;
}

function failed(partition: number, errorCode: ErrorCode): ProducePartitionResponse {
  return {
    partition,
    errorCode,
    baseOffset: -1,
    logAppendTimeMs: NO_APPEND_TIME,
    logStartOffset: -1,
  };
}

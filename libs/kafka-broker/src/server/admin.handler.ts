import { ApiKey } from '../protocol/api-keys';
import {
  decodeCreatePartitionsRequest,
  encodeCreatePartitionsResponse,
  type CreatePartitionsTopic,
} from '../protocol/apis/create-partitions.codec';
import {
  decodeCreateTopicsRequest,
  encodeCreateTopicsResponse,
  type CreatableTopic,
} from '../protocol/apis/create-topics.codec';
import {
  decodeDeleteTopicsRequest,
  encodeDeleteTopicsResponse,
} from '../protocol/apis/delete-topics.codec';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { AclOperation, AclResourceType } from '../security/acl';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';
import { MAX_PARTITIONS_PER_TOPIC } from './broker-options';
import { errorCodeOf } from './error-mapping';
import { mayCreate } from './metadata.handler';

interface TopicOutcome {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
}

const OK: TopicOutcome = { errorCode: ErrorCode.NONE, errorMessage: null };

function tooManyPartitions(count: number): TopicOutcome | undefined {
  return count > MAX_PARTITIONS_PER_TOPIC
    ? refuse(
        ErrorCode.INVALID_PARTITIONS,
        `at most ${MAX_PARTITIONS_PER_TOPIC} partitions per topic, got ${count}`,
      )
    : undefined;
}

const NOT_AUTHORIZED: TopicOutcome = {
  errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
  errorMessage: 'not authorized for this operation on the topic',
};

/**
 * CreateTopics v0–4, DeleteTopics v0–3 and CreatePartitions v0–1. They need CREATE (on the
 * cluster or the topic), DELETE and ALTER on the topic; a topic without it is answered
 * TOPIC_AUTHORIZATION_FAILED and the others proceed, as in Kafka.
 */
export function createAdminHandlers(
  broker: BrokerContext,
): Pick<ApiHandlers, ApiKey.CreateTopics | ApiKey.DeleteTopics | ApiKey.CreatePartitions> {
  return {
    [ApiKey.CreateTopics]: async ({ body, version, session }) => {
      const request = decodeCreateTopicsRequest(body, version);
      const duplicates = duplicateNames(request.topics.map((topic) => topic.name));
      const results = [];
      for (const topic of request.topics) {
        const outcome = duplicates.has(topic.name)
          ? refuse(ErrorCode.INVALID_REQUEST, `topic "${topic.name}" is listed more than once`)
          : !mayCreate(session, topic.name)
            ? NOT_AUTHORIZED
            : await createTopic(broker, topic, request.validateOnly);
        results.push({ name: topic.name, ...outcome });
      }
      const writer = new Writer();
      encodeCreateTopicsResponse(writer, version, results);
      return writer;
    },
    [ApiKey.DeleteTopics]: async ({ body, version, session }) => {
      const results = [];
      for (const name of decodeDeleteTopicsRequest(body).names) {
        const outcome = session.allows(AclOperation.DELETE, AclResourceType.TOPIC, name)
          ? await deleteTopic(broker, name)
          : NOT_AUTHORIZED;
        results.push({ name, errorCode: outcome.errorCode });
      }
      const writer = new Writer();
      encodeDeleteTopicsResponse(writer, version, results);
      return writer;
    },
    [ApiKey.CreatePartitions]: async ({ body, session }) => {
      const request = decodeCreatePartitionsRequest(body);
      const results = [];
      for (const topic of request.topics) {
        results.push({
          name: topic.name,
          ...(session.allows(AclOperation.ALTER, AclResourceType.TOPIC, topic.name)
            ? await createPartitions(broker, topic, request.validateOnly)
            : NOT_AUTHORIZED),
        });
      }
      const writer = new Writer();
      encodeCreatePartitionsResponse(writer, results);
      return writer;
    },
  };
}

/**
 * Resolves -1 counts to the broker defaults for every version (kafkajs sends -1 unless told
 * otherwise), as Apache Kafka does. A manual assignment may only name this broker.
 */
async function createTopic(
  broker: BrokerContext,
  topic: CreatableTopic,
  validateOnly: boolean,
): Promise<TopicOutcome> {
  const manual = topic.assignments.length > 0;
  if (manual && (topic.numPartitions !== -1 || topic.replicationFactor !== -1)) {
    return refuse(
      ErrorCode.INVALID_REQUEST,
      'give either partition and replica counts or a manual assignment, not both',
    );
  }
  if (manual && !isSelfAssignment(broker, topic.assignments)) {
    return refuse(
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      `partitions 0..n-1 may only be assigned to broker ${broker.nodeId}`,
    );
  }
  if (topic.replicationFactor !== -1 && topic.replicationFactor !== 1) {
    return refuse(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `replication factor ${topic.replicationFactor} is impossible on a single broker; use 1`,
    );
  }
  const partitions = manual
    ? topic.assignments.length
    : topic.numPartitions === -1
      ? broker.settings.defaultPartitions
      : topic.numPartitions;
  const refusal = tooManyPartitions(partitions);
  if (refusal) return refusal;
  const configs = Object.fromEntries(
    Object.entries(topic.configs).filter((entry): entry is [string, string] => entry[1] !== null),
  );
  return outcomeOf(broker, () =>
    broker.logs.createTopic(topic.name, partitions, configs, validateOnly),
  );
}

async function deleteTopic(broker: BrokerContext, name: string): Promise<TopicOutcome> {
  const outcome = await outcomeOf(broker, () => broker.logs.deleteTopic(name));
  if (outcome.errorCode === ErrorCode.NONE) broker.sequences.forgetTopic(name);
  return outcome;
}

async function createPartitions(
  broker: BrokerContext,
  topic: CreatePartitionsTopic,
  validateOnly: boolean,
): Promise<TopicOutcome> {
  const assignments = topic.assignments ?? [];
  if (assignments.some((ids) => ids.length !== 1 || ids[0] !== broker.nodeId)) {
    return refuse(
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      `new partitions may only be assigned to broker ${broker.nodeId}`,
    );
  }
  return (
    tooManyPartitions(topic.count) ??
    outcomeOf(broker, () => broker.logs.createPartitions(topic.name, topic.count, validateOnly))
  );
}

function isSelfAssignment(
  broker: BrokerContext,
  assignments: CreatableTopic['assignments'],
): boolean {
  const sorted = [...assignments].sort((a, b) => a.partition - b.partition);
  return sorted.every(
    (a, i) => a.partition === i && a.brokerIds.length === 1 && a.brokerIds[0] === broker.nodeId,
  );
}

/** Runs one storage operation and turns its KafkaProtocolError into a per-topic result. */
async function outcomeOf(broker: BrokerContext, run: () => Promise<void>): Promise<TopicOutcome> {
  try {
    await run();
    return OK;
  } catch (error) {
    if (!(error instanceof KafkaProtocolError)) {
      broker.logger.error({ err: error }, 'topic administration failed');
    }
    return { errorCode: errorCodeOf(error), errorMessage: (error as Error).message };
  }
}

function refuse(errorCode: ErrorCode, errorMessage: string): TopicOutcome {
  return { errorCode, errorMessage };
}

function duplicateNames(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
  }
  return duplicates;
}

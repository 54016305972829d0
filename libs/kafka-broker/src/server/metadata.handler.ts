import { ApiKey } from '../protocol/api-keys';
import {
  decodeMetadataRequest,
  encodeMetadataResponse,
  type MetadataTopic,
} from '../protocol/apis/metadata.codec';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { AclOperation, AclResourceType } from '../security/acl';
import { validateTopicName } from '../storage';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';
import type { ConnectionSession } from './connection-session';
import { autoCreateTopic } from './topic-auto-creation';

/**
 * Metadata v0–6. One broker, which is every partition's leader and the controller. Topics are
 * auto-created only when the broker allows it, the request allows it (v4+; always for v0–3) and
 * the request names topics (never for "all topics").
 *
 * Authorization as in Kafka: listing all topics shows only those the principal may DESCRIBE; a
 * named topic it may not describe, or a missing one it may not create (CREATE on the cluster or
 * the topic) when it would be auto-created, is answered TOPIC_AUTHORIZATION_FAILED.
 */
export function createMetadataHandlers(broker: BrokerContext): Pick<ApiHandlers, ApiKey.Metadata> {
  return {
    [ApiKey.Metadata]: async ({ body, version, session }) => {
      const request = decodeMetadataRequest(body, version);
      const autoCreate =
        broker.settings.autoCreateTopics &&
        request.allowAutoTopicCreation &&
        request.topics !== null;
      const names =
        request.topics ??
        broker.logs
          .topics()
          .map((topic) => topic.name)
          .filter((name) => session.allows(AclOperation.DESCRIBE, AclResourceType.TOPIC, name));
      const topics: MetadataTopic[] = [];
      for (const name of new Set(names)) {
        topics.push(await authorizedTopic(broker, session, name, autoCreate));
      }
      const writer = new Writer();
      encodeMetadataResponse(writer, version, {
        brokers: [{ nodeId: broker.nodeId, ...broker.endpoint }],
        clusterId: broker.clusterId,
        controllerId: broker.nodeId,
        topics,
      });
      return writer;
    },
  };
}

async function authorizedTopic(
  broker: BrokerContext,
  session: ConnectionSession,
  name: string,
  autoCreate: boolean,
): Promise<MetadataTopic> {
  const refused = { errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, name, partitions: [] };
  if (!session.allows(AclOperation.DESCRIBE, AclResourceType.TOPIC, name)) return refused;
  if (autoCreate && broker.logs.getTopic(name) === undefined && !mayCreate(session, name)) {
    return refused;
  }
  return describeTopic(broker, name, autoCreate);
}

/** CREATE on the cluster or on the topic itself, as Kafka asks for (auto-)creation. */
export function mayCreate(session: ConnectionSession, topic: string): boolean {
  return (
    session.allowsCluster(AclOperation.CREATE) ||
    session.allows(AclOperation.CREATE, AclResourceType.TOPIC, topic)
  );
}

async function describeTopic(
  broker: BrokerContext,
  name: string,
  autoCreate: boolean,
): Promise<MetadataTopic> {
  let info = broker.logs.getTopic(name);
  if (info === undefined) {
    const errorCode = autoCreate ? await autoCreateTopic(broker, name) : missingTopicError(name);
    info = broker.logs.getTopic(name);
    if (info === undefined) {
      const missing =
        errorCode === ErrorCode.NONE ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : errorCode;
      return { errorCode: missing, name, partitions: [] };
    }
  }
  const self = [broker.nodeId];
  const partitions = Array.from({ length: info.partitions }, (_, partitionIndex) => ({
    errorCode: ErrorCode.NONE,
    partitionIndex,
    leaderId: broker.nodeId,
    replicaNodes: self,
    isrNodes: self,
  }));
  return { errorCode: ErrorCode.NONE, name, partitions };
}

/** An illegal name is INVALID_TOPIC_EXCEPTION, a legal but absent one UNKNOWN_TOPIC_OR_PARTITION. */
function missingTopicError(name: string): ErrorCode {
  try {
    validateTopicName(name);
    return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  } catch (error) {
    if (error instanceof KafkaProtocolError) return error.code;
    throw error;
  }
}

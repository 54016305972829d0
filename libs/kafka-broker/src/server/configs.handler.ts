import { ApiKey } from '../protocol/api-keys';
import {
  decodeAlterConfigsRequest,
  encodeAlterConfigsResponse,
  type AlterConfigsResourceResponse,
} from '../protocol/apis/alter-configs.codec';
import {
  ConfigResourceType,
  decodeDescribeConfigsRequest,
  encodeDescribeConfigsResponse,
  type DescribeConfigsResource,
  type DescribeConfigsResult,
} from '../protocol/apis/describe-configs.codec';
import { decodeIncrementalAlterConfigsRequest } from '../protocol/apis/incremental-alter-configs.codec';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { AclOperation, AclResourceType } from '../security/acl';
import { validateTopicName } from '../storage';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';
import type { ConnectionSession } from './connection-session';
import {
  describeBrokerConfigs,
  describeTopicConfigs,
  type DescribeOptions,
} from './config-description';
import { applyIncrementalChanges } from './config-changes';
import { errorCodeOf } from './error-mapping';

type ConfigKeys = ApiKey.DescribeConfigs | ApiKey.AlterConfigs | ApiKey.IncrementalAlterConfigs;

/**
 * DescribeConfigs v0–3, AlterConfigs v0–1 and IncrementalAlterConfigs v0. Topic configs are
 * described, altered and persisted with the topic; broker configs are described read-only, so
 * altering them is refused with INVALID_REQUEST. Each resource is answered on its own.
 * Describing needs DESCRIBE_CONFIGS, altering ALTER_CONFIGS, on the topic (else
 * TOPIC_AUTHORIZATION_FAILED) or on the cluster for the broker (else CLUSTER_AUTHORIZATION_FAILED).
 */
export function createConfigsHandlers(broker: BrokerContext): Pick<ApiHandlers, ConfigKeys> {
  return {
    [ApiKey.DescribeConfigs]: async ({ body, version, session }) => {
      const request = decodeDescribeConfigsRequest(body, version);
      const results = request.resources.map((resource) =>
        describe(broker, session, resource, {
          keys: resource.configurationKeys?.length ? new Set(resource.configurationKeys) : null,
          includeSynonyms: request.includeSynonyms,
          includeDocumentation: request.includeDocumentation,
        }),
      );
      const writer = new Writer();
      encodeDescribeConfigsResponse(writer, version, results);
      return writer;
    },
    [ApiKey.AlterConfigs]: async ({ body, session }) => {
      const request = decodeAlterConfigsRequest(body);
      const responses = await alterEach(broker, session, request.resources, (resource) => {
        const configs: Record<string, string> = {};
        for (const { name, value } of resource.configs) if (value !== null) configs[name] = value;
        return broker.logs.alterTopicConfigs(resource.resourceName, configs, request.validateOnly);
      });
      const writer = new Writer();
      encodeAlterConfigsResponse(writer, responses);
      return writer;
    },
    [ApiKey.IncrementalAlterConfigs]: async ({ body, session }) => {
      const request = decodeIncrementalAlterConfigsRequest(body);
      const responses = await alterEach(broker, session, request.resources, (resource) => {
        const name = resource.resourceName;
        const current = broker.logs.getTopic(name)?.configs ?? {};
        const configs = applyIncrementalChanges(current, resource.configs);
        return broker.logs.alterTopicConfigs(name, configs, request.validateOnly);
      });
      const writer = new Writer();
      encodeAlterConfigsResponse(writer, responses);
      return writer;
    },
  };
}

function describe(
  broker: BrokerContext,
  session: ConnectionSession,
  resource: DescribeConfigsResource,
  options: DescribeOptions,
): DescribeConfigsResult {
  const { resourceType, resourceName } = resource;
  const answer = { resourceType, resourceName, errorCode: ErrorCode.NONE, errorMessage: null };
  try {
    authorize(session, AclOperation.DESCRIBE_CONFIGS, resource);
    switch (resourceType) {
      case ConfigResourceType.Topic: {
        validateTopicName(resourceName);
        const topic = broker.logs.getTopic(resourceName);
        if (topic === undefined) throw unknownTopic(resourceName);
        return {
          ...answer,
          configs: describeTopicConfigs(
            topic,
            broker.logs.defaultConfig,
            broker.settings.given,
            options,
          ),
        };
      }
      case ConfigResourceType.Broker:
        checkBrokerName(broker, resourceName);
        // An empty name asks for the cluster-wide dynamic defaults, which this broker has none of.
        return {
          ...answer,
          configs: resourceName === '' ? [] : describeBrokerConfigs(broker, options),
        };
      default:
        throw unsupportedResource(resourceType);
    }
  } catch (error) {
    return { ...answer, ...failure(broker, error), configs: [] };
  }
}

interface AlterableResource {
  readonly resourceType: number;
  readonly resourceName: string;
}

/**
 * Runs `alterTopic` for each topic resource, one at a time and in request order. A resource
 * listed twice is refused, as Kafka does, rather than applied in an arbitrary order.
 */
async function alterEach<R extends AlterableResource>(
  broker: BrokerContext,
  session: ConnectionSession,
  resources: readonly R[],
  alterTopic: (resource: R) => Promise<void>,
): Promise<AlterConfigsResourceResponse[]> {
  const seen = new Map<string, number>();
  for (const { resourceType, resourceName } of resources) {
    const key = `${resourceType}:${resourceName}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const responses: AlterConfigsResourceResponse[] = [];
  for (const resource of resources) {
    const { resourceType, resourceName } = resource;
    const answer = { resourceType, resourceName, errorCode: ErrorCode.NONE, errorMessage: null };
    try {
      authorize(session, AclOperation.ALTER_CONFIGS, resource);
      if ((seen.get(`${resourceType}:${resourceName}`) ?? 0) > 1) {
        throw new KafkaProtocolError(ErrorCode.INVALID_REQUEST, 'resource listed more than once');
      }
      await alterResource(broker, resource, alterTopic);
      responses.push(answer);
    } catch (error) {
      responses.push({ ...answer, ...failure(broker, error) });
    }
  }
  return responses;
}

async function alterResource<R extends AlterableResource>(
  broker: BrokerContext,
  resource: R,
  alterTopic: (resource: R) => Promise<void>,
): Promise<void> {
  switch (resource.resourceType) {
    case ConfigResourceType.Topic:
      validateTopicName(resource.resourceName);
      if (broker.logs.getTopic(resource.resourceName) === undefined) {
        throw unknownTopic(resource.resourceName);
      }
      return alterTopic(resource);
    case ConfigResourceType.Broker:
      checkBrokerName(broker, resource.resourceName);
      throw new KafkaProtocolError(
        ErrorCode.INVALID_REQUEST,
        'broker configs are read-only: restart the broker with other options to change them',
      );
    default:
      throw unsupportedResource(resource.resourceType);
  }
}

/** @throws KafkaProtocolError when the principal may not perform `operation` on the resource. */
function authorize(
  session: ConnectionSession,
  operation: AclOperation,
  { resourceType, resourceName }: AlterableResource,
): void {
  if (resourceType === ConfigResourceType.Topic) {
    if (!session.allows(operation, AclResourceType.TOPIC, resourceName)) {
      throw new KafkaProtocolError(
        ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        `not authorized to ${AclOperation[operation]} topic "${resourceName}"`,
      );
    }
  } else if (resourceType === ConfigResourceType.Broker && !session.allowsCluster(operation)) {
    throw new KafkaProtocolError(
      ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
      `not authorized to ${AclOperation[operation]} the cluster`,
    );
  }
}

/** Kafka accepts its own node id, or '' for the cluster-wide defaults. */
function checkBrokerName(broker: BrokerContext, name: string): void {
  if (name !== '' && name !== String(broker.nodeId)) {
    throw new KafkaProtocolError(
      ErrorCode.INVALID_REQUEST,
      `unexpected broker id "${name}": expected ${broker.nodeId} or an empty string`,
    );
  }
}

function unknownTopic(name: string): KafkaProtocolError {
  return new KafkaProtocolError(
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    `topic "${name}" does not exist`,
  );
}

function unsupportedResource(type: number): KafkaProtocolError {
  return new KafkaProtocolError(
    ErrorCode.INVALID_REQUEST,
    `config resource type ${type} is not supported; topics (2) and the broker (4) are`,
  );
}

function failure(
  broker: BrokerContext,
  error: unknown,
): { errorCode: ErrorCode; errorMessage: string } {
  if (!(error instanceof KafkaProtocolError)) {
    broker.logger.error({ err: error }, 'config request failed');
  }
  return { errorCode: errorCodeOf(error), errorMessage: String((error as Error).message) };
}

import { ApiKey } from '../protocol/api-keys';
import {
  decodeInitProducerIdRequest,
  encodeInitProducerIdResponse,
} from '../protocol/apis/init-producer-id.codec';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { AclOperation, AclResourceType } from '../security/acl';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';

/**
 * InitProducerId v0–1 for idempotent producers (kafkajs `idempotent: true`, librdkafka
 * `enable.idempotence`): a fresh producer id with epoch 0. A transactional id is refused with a
 * non-retriable code, since the broker has no transaction coordinator. An idempotent producer
 * needs IDEMPOTENT_WRITE on the cluster or, since Kafka 2.8 (KIP-679), WRITE on some topic;
 * otherwise CLUSTER_AUTHORIZATION_FAILED.
 */
export function createProducerIdHandlers(
  broker: BrokerContext,
): Pick<ApiHandlers, ApiKey.InitProducerId> {
  return {
    [ApiKey.InitProducerId]: async ({ body, session }) => {
      const request = decodeInitProducerIdRequest(body);
      const writer = new Writer();
      if (request.transactionalId !== null) {
        broker.logger.warn(
          { transactionalId: request.transactionalId },
          'refusing InitProducerId for a transactional id: transactions are not supported',
        );
        encodeInitProducerIdResponse(writer, {
          errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
          producerId: -1,
          producerEpoch: -1,
        });
        return writer;
      }
      if (
        !session.allowsCluster(AclOperation.IDEMPOTENT_WRITE) &&
        !session.allowsSome(AclOperation.WRITE, AclResourceType.TOPIC)
      ) {
        encodeInitProducerIdResponse(writer, {
          errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
          producerId: -1,
          producerEpoch: -1,
        });
        return writer;
      }
      encodeInitProducerIdResponse(writer, {
        errorCode: ErrorCode.NONE,
        producerId: broker.producerIds.next(),
        producerEpoch: 0,
      });
      return writer;
    },
  };
}

import { ApiKey } from '../protocol/api-keys';
import {
  decodeInitProducerIdRequest,
  encodeInitProducerIdResponse,
} from '../protocol/apis/init-producer-id.codec';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';

/**
 * InitProducerId v0–1 for idempotent producers (kafkajs `idempotent: true`, librdkafka
 * `enable.idempotence`): a fresh producer id with epoch 0. A transactional id is refused with a
 * non-retriable code, since the broker has no transaction coordinator.
 */
export function createProducerIdHandlers(
  broker: BrokerContext,
): Pick<ApiHandlers, ApiKey.InitProducerId> {
  return {
    [ApiKey.InitProducerId]: async ({ body }) => {
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
      encodeInitProducerIdResponse(writer, {
        errorCode: ErrorCode.NONE,
        producerId: broker.producerIds.next(),
        producerEpoch: 0,
      });
      return writer;
    },
  };
}

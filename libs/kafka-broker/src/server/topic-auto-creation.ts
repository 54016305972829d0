import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import type { BrokerContext } from './broker-context';

/**
 * Creates `name` with the default partition count, synchronously from the client's point of
 * view: the topic is returned with leader = this broker in the very response that created it
 * (Apache Kafka answers LEADER_NOT_AVAILABLE once instead; every client accepts both, this is
 * deterministic). Returns the topic's error code: NONE also when a concurrent request won the race.
 */
export async function autoCreateTopic(broker: BrokerContext, name: string): Promise<ErrorCode> {
  try {
    await broker.logs.createTopic(name, broker.settings.defaultPartitions);
    broker.logger.info({ topic: name }, 'auto-created topic');
    return ErrorCode.NONE;
  } catch (error) {
    if (!(error instanceof KafkaProtocolError)) throw error;
    return error.code === ErrorCode.TOPIC_ALREADY_EXISTS ? ErrorCode.NONE : error.code;
  }
}

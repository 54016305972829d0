/**
 * @tracker/kafka-broker — a single-node, Kafka-protocol-compatible broker for development,
 * tests and single-machine runs. See the README for the supported APIs and the known limits.
 */
export { startBroker, type RunningBroker } from './server/start-broker';
export { InvalidBrokerOptionError, type BrokerOptions } from './server/broker-options';
export { ApiKey, SUPPORTED_VERSIONS, type VersionRange } from './protocol/api-keys';
export { BrokerError } from './errors';
export { ErrorCode, KafkaProtocolError } from './protocol/error-codes';
export {
  AclOperation,
  AclPatternType,
  AclPermissionType,
  AclResourceType,
  type AclBinding,
  type AclOperationName,
  type AclResourceTypeName,
} from './security/acl';
export type { SaslOptions, SaslUser, SecurityOptions } from './security/security-options';
export type { SaslMechanism } from './security/sasl-exchange';

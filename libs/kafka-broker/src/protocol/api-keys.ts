/** Kafka API keys the embedded broker implements (numbers from Apache Kafka's ApiKeys.java). */
export enum ApiKey {
  Produce = 0,
  Fetch = 1,
  ListOffsets = 2,
  Metadata = 3,
  OffsetCommit = 8,
  OffsetFetch = 9,
  FindCoordinator = 10,
  JoinGroup = 11,
  Heartbeat = 12,
  LeaveGroup = 13,
  SyncGroup = 14,
  DescribeGroups = 15,
  ListGroups = 16,
  SaslHandshake = 17,
  ApiVersions = 18,
  CreateTopics = 19,
  DeleteTopics = 20,
  DeleteRecords = 21,
  InitProducerId = 22,
  DescribeAcls = 29,
  CreateAcls = 30,
  DeleteAcls = 31,
  DescribeConfigs = 32,
  AlterConfigs = 33,
  SaslAuthenticate = 36,
  CreatePartitions = 37,
  DeleteGroups = 42,
  IncrementalAlterConfigs = 44,
}

export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/**
 * The version ranges advertised in ApiVersions (why these: "Version negotiation" in the broker
 * README's compatibility notes).
 *
 * The minimums are deliberately 0 for the group and coordinator APIs: librdkafka before 2.11.1
 * enables a feature only when the broker range contains one pinned old version (FindCoordinator 0,
 * JoinGroup 0, OffsetFetch 1, ListOffsets 1, InitProducerId 0, ApiVersions 0). Produce starts at 3
 * and Fetch at 4 so that only RecordBatch v2 (magic 2) is ever accepted or served; both still
 * contain librdkafka's MsgVer2 pins (Produce 3, Fetch 4).
 */
export const SUPPORTED_VERSIONS: Readonly<Record<ApiKey, VersionRange>> = {
  [ApiKey.Produce]: { min: 3, max: 7 },
  [ApiKey.Fetch]: { min: 4, max: 11 },
  [ApiKey.ListOffsets]: { min: 0, max: 3 },
  [ApiKey.Metadata]: { min: 0, max: 6 },
  [ApiKey.OffsetCommit]: { min: 0, max: 7 },
  [ApiKey.OffsetFetch]: { min: 0, max: 5 },
  [ApiKey.FindCoordinator]: { min: 0, max: 2 },
  [ApiKey.JoinGroup]: { min: 0, max: 5 },
  [ApiKey.Heartbeat]: { min: 0, max: 3 },
  [ApiKey.LeaveGroup]: { min: 0, max: 3 },
  [ApiKey.SyncGroup]: { min: 0, max: 3 },
  [ApiKey.DescribeGroups]: { min: 0, max: 2 },
  [ApiKey.ListGroups]: { min: 0, max: 2 },
  [ApiKey.SaslHandshake]: { min: 0, max: 1 },
  [ApiKey.ApiVersions]: { min: 0, max: 3 },
  [ApiKey.CreateTopics]: { min: 0, max: 4 },
  [ApiKey.DeleteTopics]: { min: 0, max: 3 },
  [ApiKey.DeleteRecords]: { min: 0, max: 1 },
  [ApiKey.InitProducerId]: { min: 0, max: 1 },
  [ApiKey.DescribeAcls]: { min: 0, max: 1 },
  [ApiKey.CreateAcls]: { min: 0, max: 1 },
  [ApiKey.DeleteAcls]: { min: 0, max: 1 },
  [ApiKey.DescribeConfigs]: { min: 0, max: 3 },
  [ApiKey.AlterConfigs]: { min: 0, max: 1 },
  [ApiKey.SaslAuthenticate]: { min: 0, max: 2 },
  [ApiKey.CreatePartitions]: { min: 0, max: 1 },
  [ApiKey.DeleteGroups]: { min: 0, max: 1 },
  [ApiKey.IncrementalAlterConfigs]: { min: 0, max: 0 },
};

/** True when `apiKey` is one of ours; narrows a raw int16 from the wire. */
export function isSupportedApiKey(apiKey: number): apiKey is ApiKey {
  return Object.prototype.hasOwnProperty.call(SUPPORTED_VERSIONS, apiKey);
}

export function isSupportedVersion(apiKey: ApiKey, version: number): boolean {
  const range = SUPPORTED_VERSIONS[apiKey];
  return version >= range.min && version <= range.max;
}

/**
 * Whether a request version uses the flexible encoding (header v2, compact types, tags). Of the
 * advertised ranges only ApiVersions v3 and SaslAuthenticate v2 are flexible; every other API
 * stops below its first flexible version.
 */
export function isFlexible(apiKey: ApiKey, version: number): boolean {
  return (
    (apiKey === ApiKey.ApiVersions && version >= 3) ||
    (apiKey === ApiKey.SaslAuthenticate && version >= 2)
  );
}

/**
 * Whether the response carries header v1 (correlation id and tagged fields): flexible versions
 * do, except ApiVersions, whose response a client must read before it knows our versions.
 */
export function hasTaggedResponseHeader(apiKey: ApiKey, version: number): boolean {
  return apiKey !== ApiKey.ApiVersions && isFlexible(apiKey, version);
}

import { ApiKey } from '../protocol/api-keys';
import {
  decodeOffsetCommitRequest,
  encodeOffsetCommitResponse,
} from '../protocol/apis/offset-commit.codec';
import {
  decodeOffsetFetchRequest,
  encodeOffsetFetchResponse,
} from '../protocol/apis/offset-fetch.codec';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { AclOperation, AclResourceType } from '../security/acl';
import type { FetchedOffset, OffsetCommitPartitionResult } from '../groups/group-coordinator.types';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';

/**
 * OffsetCommit v0–7 and OffsetFetch v0–5, answered in the order the request listed topics. Both
 * need READ on the group (else every partition, and OffsetFetch v2+'s top-level error, is
 * GROUP_AUTHORIZATION_FAILED) and READ on each topic (else that topic's partitions get
 * TOPIC_AUTHORIZATION_FAILED; OffsetFetch of all topics just leaves them out), as in Kafka.
 */
export function createOffsetsHandlers(
  broker: BrokerContext,
): Pick<ApiHandlers, ApiKey.OffsetCommit | ApiKey.OffsetFetch> {
  const { groups } = broker;
  return {
    [ApiKey.OffsetCommit]: async ({ body, version, session }) => {
      const request = decodeOffsetCommitRequest(body, version);
      const refused = (code: ErrorCode): OffsetCommitPartitionResult[] =>
        request.topics.flatMap((topic) =>
          topic.partitions.map(({ partition }) => ({
            topic: topic.name,
            partition,
            errorCode: code,
          })),
        );
      let results: OffsetCommitPartitionResult[];
      if (!session.allows(AclOperation.READ, AclResourceType.GROUP, request.groupId)) {
        results = refused(ErrorCode.GROUP_AUTHORIZATION_FAILED);
      } else {
        const readable = request.topics.filter((topic) =>
          session.allows(AclOperation.READ, AclResourceType.TOPIC, topic.name),
        );
        const committed =
          readable.length === 0 ? [] : await groups.commitOffsets({ ...request, topics: readable });
        const byPartition = new Map(committed.map((r) => [`${r.partition}:${r.topic}`, r]));
        results = refused(ErrorCode.TOPIC_AUTHORIZATION_FAILED).map(
          (r) => byPartition.get(`${r.partition}:${r.topic}`) ?? r,
        );
      }
      const writer = new Writer();
      encodeOffsetCommitResponse(
        writer,
        version,
        groupByTopic(results, (r) => r),
      );
      return writer;
    },
    [ApiKey.OffsetFetch]: async ({ body, version, session }) => {
      const request = decodeOffsetFetchRequest(body, version);
      const wanted =
        request.topics?.flatMap((topic) =>
          topic.partitions.map((partition) => ({ topic: topic.name, partition })),
        ) ?? null;
      const readable = (topic: string): boolean =>
        session.allows(AclOperation.READ, AclResourceType.TOPIC, topic);
      const unfetched = (
        topic: string,
        partition: number,
        errorCode: ErrorCode,
      ): FetchedOffset => ({
        topic,
        partition,
        offset: -1,
        metadata: '',
        errorCode,
      });
      let errorCode = ErrorCode.NONE;
      let fetched: FetchedOffset[];
      if (!session.allows(AclOperation.READ, AclResourceType.GROUP, request.groupId)) {
        errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
        fetched = (wanted ?? []).map(({ topic, partition }) =>
          unfetched(topic, partition, ErrorCode.GROUP_AUTHORIZATION_FAILED),
        );
      } else if (wanted === null) {
        fetched = groups.fetchOffsets(request.groupId, null).filter((f) => readable(f.topic));
      } else {
        const allowed = groups.fetchOffsets(
          request.groupId,
          wanted.filter((w) => readable(w.topic)),
        );
        fetched = wanted.map(({ topic, partition }) =>
          readable(topic)
            ? (allowed.find((f) => f.topic === topic && f.partition === partition) ??
              unfetched(topic, partition, ErrorCode.NONE))
            : unfetched(topic, partition, ErrorCode.TOPIC_AUTHORIZATION_FAILED),
        );
      }
      const writer = new Writer();
      encodeOffsetFetchResponse(writer, version, {
        errorCode,
        topics: groupByTopic(fetched, (f) => ({
          partition: f.partition,
          offset: f.offset,
          metadata: f.metadata,
          errorCode: f.errorCode,
        })),
      });
      return writer;
    },
  };
}

/** Regroups flat per-partition results by topic, keeping first-seen topic order. */
function groupByTopic<T extends { topic: string }, P>(
  results: readonly T[],
  toPartition: (result: T) => P,
): { name: string; partitions: P[] }[] {
  const byTopic = new Map<string, P[]>();
  for (const result of results) {
    let partitions = byTopic.get(result.topic);
    if (partitions === undefined) {
      partitions = [];
      byTopic.set(result.topic, partitions);
    }
    partitions.push(toPartition(result));
  }
  return [...byTopic].map(([name, partitions]) => ({ name, partitions }));
}

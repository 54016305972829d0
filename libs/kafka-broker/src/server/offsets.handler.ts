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
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';

/** OffsetCommit v0–7 and OffsetFetch v0–5, answered in the order the request listed topics. */
export function createOffsetsHandlers(
  broker: BrokerContext,
): Pick<ApiHandlers, ApiKey.OffsetCommit | ApiKey.OffsetFetch> {
  const { groups } = broker;
  return {
    [ApiKey.OffsetCommit]: async ({ body, version }) => {
      const request = decodeOffsetCommitRequest(body, version);
      const results = await groups.commitOffsets(request);
      const writer = new Writer();
      encodeOffsetCommitResponse(
        writer,
        version,
        groupByTopic(results, (r) => r),
      );
      return writer;
    },
    [ApiKey.OffsetFetch]: async ({ body, version }) => {
      const request = decodeOffsetFetchRequest(body, version);
      const wanted =
        request.topics?.flatMap((topic) =>
          topic.partitions.map((partition) => ({ topic: topic.name, partition })),
        ) ?? null;
      const fetched = groups.fetchOffsets(request.groupId, wanted);
      const writer = new Writer();
      encodeOffsetFetchResponse(writer, version, {
        errorCode: ErrorCode.NONE,
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

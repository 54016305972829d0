import { kafkajsDecode, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { decodeDeleteGroupsRequest, encodeDeleteGroupsResponse } from './delete-groups.codec';
import { decodeDescribeGroupsRequest, encodeDescribeGroupsResponse } from './describe-groups.codec';
import { encodeListGroupsResponse } from './list-groups.codec';

describe('DescribeGroups, ListGroups and DeleteGroups codecs', () => {
  it.each(versions(0, 2))('reads DescribeGroups v%i group ids', async (version) => {
    const reader = await kafkajsBody('describeGroups', version, { groupIds: ['a', 'b'] });
    expect(decodeDescribeGroupsRequest(reader)).toEqual({ groups: ['a', 'b'] });
    expect(reader.remaining).toBe(0);
  });

  it.each(versions(0, 2))(
    'writes a DescribeGroups v%i response kafkajs decodes',
    async (version) => {
      const decoded = await kafkajsDecode<{ groups: Record<string, unknown>[] }>(
        'describeGroups',
        version,
        (w) =>
          encodeDescribeGroupsResponse(w, version, [
            {
              errorCode: 0,
              groupId: 'g1',
              groupState: 'Stable',
              protocolType: 'consumer',
              protocolData: 'RoundRobinAssigner',
              members: [
                {
                  memberId: 'm-1',
                  clientId: 'c',
                  clientHost: '/127.0.0.1',
                  memberMetadata: Buffer.from([1]),
                  memberAssignment: Buffer.from([2]),
                },
              ],
            },
          ]),
      );
      expect(decoded.groups[0]).toMatchObject({
        groupId: 'g1',
        state: 'Stable',
        protocolType: 'consumer',
        protocol: 'RoundRobinAssigner',
        members: [expect.objectContaining({ memberId: 'm-1', clientId: 'c' })],
      });
    },
  );

  it.each(versions(0, 2))('writes a ListGroups v%i response kafkajs decodes', async (version) => {
    const decoded = await kafkajsDecode<{ errorCode: number; groups: unknown[] }>(
      'listGroups',
      version,
      (w) => encodeListGroupsResponse(w, version, 0, [{ groupId: 'g1', protocolType: 'consumer' }]),
    );
    expect(decoded.groups).toEqual([{ groupId: 'g1', protocolType: 'consumer' }]);
  });

  it.each(versions(0, 1))(
    'reads DeleteGroups v%i and writes per-group results',
    async (version) => {
      const reader = await kafkajsBody('deleteGroups', version, ['g1']);
      expect(decodeDeleteGroupsRequest(reader)).toEqual({ groups: ['g1'] });
      const decoded = await kafkajsDecode<{ results: Record<string, unknown>[] }>(
        'deleteGroups',
        version,
        (w) => encodeDeleteGroupsResponse(w, [{ groupId: 'g1', errorCode: 68 }]),
      );
      expect(decoded.results[0]).toMatchObject({ groupId: 'g1', errorCode: 68 });
    },
  );
});

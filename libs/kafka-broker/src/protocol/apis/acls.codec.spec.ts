import { kafkajsBody, kafkajsDecode, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { decodeCreateAclsRequest, encodeCreateAclsResponse } from './create-acls.codec';
import { decodeDeleteAclsRequest, encodeDeleteAclsResponse } from './delete-acls.codec';
import {
  decodeDescribeAclsRequest,
  encodeDescribeAclsResponse,
  LITERAL_PATTERN,
  type WireAcl,
} from './describe-acls.codec';

const PREFIXED = 4;
/** A binding in kafkajs's field names. */
const KAFKAJS_ACL = {
  resourceType: 2,
  resourceName: 'orders',
  resourcePatternType: PREFIXED,
  principal: 'User:alice',
  host: '*',
  operation: 4,
  permissionType: 3,
};
const WIRE_ACL: WireAcl = {
  resourceType: 2,
  resourceName: 'orders',
  patternType: PREFIXED,
  principal: 'User:alice',
  host: '*',
  operation: 4,
  permissionType: 3,
};

describe('ACL codecs (against kafkajs 2.2.4)', () => {
  it.each(versions(0, 1))('reads CreateAcls v%i (v0 bindings are LITERAL)', async (version) => {
    const reader = await kafkajsBody('createAcls', version, { creations: [KAFKAJS_ACL] });
    expect(decodeCreateAclsRequest(reader, version)).toEqual({
      creations: [{ ...WIRE_ACL, patternType: version === 0 ? LITERAL_PATTERN : PREFIXED }],
    });
    expect(reader.remaining).toBe(0);
  });

  it.each(versions(0, 1))('writes a CreateAcls v%i response kafkajs decodes', async (version) => {
    const decoded = await kafkajsDecode('createAcls', version, (w) =>
      encodeCreateAclsResponse(w, [{ errorCode: 31, errorMessage: 'no' }]),
    );
    expect(decoded).toMatchObject({ creationResponses: [{ errorCode: 31, errorMessage: 'no' }] });
  });

  it.each(versions(0, 1))(
    'reads DescribeAcls v%i and answers what kafkajs decodes',
    async (version) => {
      const filter = { ...KAFKAJS_ACL, resourceName: null, host: null };
      const reader = await kafkajsBody('describeAcls', version, filter);
      expect(decodeDescribeAclsRequest(reader, version)).toEqual({
        ...WIRE_ACL,
        patternType: version === 0 ? LITERAL_PATTERN : PREFIXED,
        resourceName: null,
        host: null,
      });
      expect(reader.remaining).toBe(0);

      const decoded = await kafkajsDecode('describeAcls', version, (w) =>
        encodeDescribeAclsResponse(w, version, {
          errorCode: 0,
          errorMessage: null,
          acls: [WIRE_ACL],
        }),
      );
      expect(decoded).toMatchObject({
        resources: [
          {
            resourceType: 2,
            resourceName: 'orders',
            acls: [{ principal: 'User:alice', host: '*', operation: 4, permissionType: 3 }],
            ...(version >= 1 ? { resourcePatternType: PREFIXED } : {}),
          },
        ],
      });
    },
  );

  it.each(versions(0, 1))(
    'reads DeleteAcls v%i and answers what kafkajs decodes',
    async (version) => {
      const reader = await kafkajsBody('deleteAcls', version, { filters: [KAFKAJS_ACL] });
      expect(decodeDeleteAclsRequest(reader, version).filters).toHaveLength(1);
      expect(reader.remaining).toBe(0);

      const decoded = await kafkajsDecode('deleteAcls', version, (w) =>
        encodeDeleteAclsResponse(w, version, [
          {
            errorCode: 0,
            errorMessage: null,
            matchingAcls: [{ errorCode: 42, errorMessage: 'configured', acl: WIRE_ACL }],
          },
        ]),
      );
      expect(decoded).toMatchObject({
        filterResponses: [
          {
            errorCode: 0,
            matchingAcls: [{ errorCode: 42, resourceName: 'orders', principal: 'User:alice' }],
          },
        ],
      });
    },
  );
});

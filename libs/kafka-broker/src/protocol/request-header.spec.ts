import { kafkajsFrame } from '../testing/kafkajs-wire';
import { ApiKey } from './api-keys';
import { ProtocolDecodeError } from './reader';
import { isTooNewApiVersions, parseRequest } from './request-header';
import { Writer } from './writer';

/** A Metadata v6 request exactly as kafkajs writes it, without the size prefix. */
async function metadataRequest(clientId: string | null): Promise<Buffer> {
  const args = { topics: ['orders'], allowAutoTopicCreation: true };
  return (await kafkajsFrame('metadata', 6, args, { correlationId: 42, clientId })).subarray(4);
}

describe(parseRequest.name, () => {
  it('reads the v1 header kafkajs writes and leaves the reader at the body', async () => {
    const { header, body } = parseRequest(await metadataRequest('my-client'));
    expect(header).toEqual({
      apiKey: ApiKey.Metadata,
      apiVersion: 6,
      correlationId: 42,
      clientId: 'my-client',
    });
    expect(body?.array((r) => r.string())).toEqual(['orders']);
  });

  it('accepts a null client id', async () => {
    expect(parseRequest(await metadataRequest(null)).header.clientId).toBeNull();
  });

  it('skips the tagged fields of header v2 (flexible ApiVersions v3)', () => {
    const frame = new Writer().int16(ApiKey.ApiVersions).int16(3).int32(1).string('rdkafka');
    frame.uvarint(1).uvarint(5).uvarint(2).int16(0).compactString('librdkafka');
    const { body } = parseRequest(frame.toBuffer());
    expect(body?.compactString()).toBe('librdkafka');
  });

  it('reads only key, version and correlation id of an unsupported request', () => {
    const frame = new Writer().int16(ApiKey.ApiVersions).int16(9).int32(5).int8(1).toBuffer();
    const { header, body } = parseRequest(frame);
    expect(body).toBeNull();
    expect(header).toMatchObject({ apiKey: 18, apiVersion: 9, correlationId: 5 });
    expect(isTooNewApiVersions(header)).toBe(true);
  });

  it('does not treat an unknown key or an old Produce version as a too-new ApiVersions', () => {
    for (const [key, version] of [
      [999, 0],
      [ApiKey.Produce, 2],
    ]) {
      const { header, body } = parseRequest(
        new Writer().int16(key).int16(version).int32(1).toBuffer(),
      );
      expect(body).toBeNull();
      expect(isTooNewApiVersions(header)).toBe(false);
    }
  });

  it('refuses a frame shorter than a header', () => {
    expect(() => parseRequest(Buffer.alloc(7))).toThrow(ProtocolDecodeError);
  });
});

import { createRequire } from 'node:module';
import { ApiKey } from './api-keys';
import { ProtocolDecodeError } from './reader';
import { isTooNewApiVersions, parseRequest } from './request-header';
import { Writer } from './writer';

interface KafkajsEncoder {
  readonly buffer: Buffer;
}

const load = createRequire(__filename);
const createRequest = load('kafkajs/src/protocol/request') as (
  args: unknown,
) => Promise<KafkajsEncoder>;
const metadataV6 = load('kafkajs/src/protocol/requests/metadata/v6/request') as (
  args: unknown,
) => unknown;

/** A whole request frame exactly as kafkajs writes it, without the size prefix. */
async function kafkajsFrame(clientId: string | null): Promise<Buffer> {
  const request = metadataV6({ topics: ['orders'], allowAutoTopicCreation: true });
  const encoder = await createRequest({ correlationId: 42, clientId, request });
  return encoder.buffer.subarray(4);
}

describe(parseRequest.name, () => {
  it('reads the v1 header kafkajs writes and leaves the reader at the body', async () => {
    const { header, body } = parseRequest(await kafkajsFrame('my-client'));
    expect(header).toEqual({
      apiKey: ApiKey.Metadata,
      apiVersion: 6,
      correlationId: 42,
      clientId: 'my-client',
    });
    expect(body?.array((r) => r.string())).toEqual(['orders']);
  });

  it('accepts a null client id', async () => {
    expect(parseRequest(await kafkajsFrame(null)).header.clientId).toBeNull();
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

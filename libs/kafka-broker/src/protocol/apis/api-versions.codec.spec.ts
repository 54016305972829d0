import { ErrorCode } from '../error-codes';
import { kafkajsDecode, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { Reader } from '../reader';
import { Writer } from '../writer';
import {
  decodeApiVersionsRequest,
  encodeApiVersionsResponse,
  type ApiVersionsResponse,
} from './api-versions.codec';

const response: ApiVersionsResponse = {
  errorCode: ErrorCode.NONE,
  apiKeys: [
    { apiKey: 0, minVersion: 3, maxVersion: 7 },
    { apiKey: 18, minVersion: 0, maxVersion: 3 },
  ],
};

describe('ApiVersions codec', () => {
  it.each(versions(0, 2))('reads the empty v%i body kafkajs sends', async (version) => {
    const reader = await kafkajsBody('apiVersions', version);
    expect(decodeApiVersionsRequest(reader, version)).toEqual({
      clientSoftwareName: null,
      clientSoftwareVersion: null,
    });
    expect(reader.remaining).toBe(0);
  });

  it.each(versions(0, 2))('writes a v%i response kafkajs decodes', async (version) => {
    const decoded = await kafkajsDecode<{ apiVersions: unknown[] }>('apiVersions', version, (w) =>
      encodeApiVersionsResponse(w, version, response),
    );
    expect(decoded.apiVersions).toEqual([
      { apiKey: 0, minVersion: 3, maxVersion: 7 },
      { apiKey: 18, minVersion: 0, maxVersion: 3 },
    ]);
  });

  it('reads the flexible v3 body librdkafka sends (compact strings and tags)', () => {
    const body = new Writer()
      .compactString('librdkafka')
      .compactString('2.0.2')
      .emptyTaggedFields();
    const reader = new Reader(body.toBuffer());
    expect(decodeApiVersionsRequest(reader, 3)).toEqual({
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: '2.0.2',
    });
    expect(reader.remaining).toBe(0);
  });

  it('writes the flexible v3 layout: compact array with tags, throttle, tags', () => {
    const writer = new Writer();
    encodeApiVersionsResponse(writer, 3, response);
    const reader = new Reader(writer.toBuffer());
    expect(reader.int16()).toBe(0);
    expect(reader.uvarint()).toBe(3);
    expect([reader.int16(), reader.int16(), reader.int16(), reader.uvarint()]).toEqual([
      0, 3, 7, 0,
    ]);
    expect([reader.int16(), reader.int16(), reader.int16(), reader.uvarint()]).toEqual([
      18, 0, 3, 0,
    ]);
    expect(reader.int32()).toBe(0);
    expect(reader.uvarint()).toBe(0);
    expect(reader.remaining).toBe(0);
  });

  it('answers a too-new version with a v0 body carrying UNSUPPORTED_VERSION, which kafkajs treats as "downgrade"', async () => {
    const tooNew: ApiVersionsResponse = {
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }],
    };
    await expect(
      kafkajsDecode('apiVersions', 0, (w) => encodeApiVersionsResponse(w, 0, tooNew)),
    ).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' });
    const writer = new Writer();
    encodeApiVersionsResponse(writer, 0, tooNew);
    expect(writer.toBuffer()).toEqual(Buffer.from([0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 3]));
  });
});

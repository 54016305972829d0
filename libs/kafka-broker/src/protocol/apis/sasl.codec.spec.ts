import { kafkajsBody, kafkajsDecode, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { Reader } from '../reader';
import { Writer } from '../writer';
import {
  decodeSaslAuthenticateRequest,
  encodeSaslAuthenticateResponse,
} from './sasl-authenticate.codec';
import { decodeSaslHandshakeRequest, encodeSaslHandshakeResponse } from './sasl-handshake.codec';

describe('SASL codecs (against kafkajs 2.2.4)', () => {
  it.each(versions(0, 1))(
    'reads SaslHandshake v%i and answers what kafkajs decodes',
    async (version) => {
      const reader = await kafkajsBody('saslHandshake', version, { mechanism: 'SCRAM-SHA-512' });
      expect(decodeSaslHandshakeRequest(reader)).toEqual({ mechanism: 'SCRAM-SHA-512' });
      expect(reader.remaining).toBe(0);

      const decoded = await kafkajsDecode('saslHandshake', version, (w) =>
        encodeSaslHandshakeResponse(w, 0, ['PLAIN', 'SCRAM-SHA-512']),
      );
      expect(decoded).toMatchObject({
        errorCode: 0,
        enabledMechanisms: ['PLAIN', 'SCRAM-SHA-512'],
      });
    },
  );

  it.each(versions(0, 1))(
    'reads SaslAuthenticate v%i and answers what kafkajs decodes',
    async (version) => {
      const token = Buffer.from('n,,n=alice,r=abc');
      // kafkajs's mechanisms hand over their token already framed as BYTES (int32 size first).
      const framed = new Writer().bytes(token).toBuffer();
      const reader = await kafkajsBody('saslAuthenticate', version, { authBytes: framed });
      expect(decodeSaslAuthenticateRequest(reader, version)).toEqual({ authBytes: token });
      expect(reader.remaining).toBe(0);

      const decoded = await kafkajsDecode<{ errorCode: number; authBytes: Buffer }>(
        'saslAuthenticate',
        version,
        (w) =>
          encodeSaslAuthenticateResponse(w, version, {
            errorCode: 0,
            errorMessage: null,
            authBytes: Buffer.from('r=abcdef'),
          }),
      );
      expect(decoded.errorCode).toBe(0);
      // kafkajs hands the token on with its int32 size in front, as the v0 raw flow had it.
      expect(decoded.authBytes.subarray(4).toString()).toBe('r=abcdef');
    },
  );

  it('reads and writes the flexible SaslAuthenticate v2 (compact bytes, tagged fields)', () => {
    const request = new Writer().uvarint(4).raw(Buffer.from('abc')).uvarint(0).toBuffer();
    const reader = new Reader(request);
    expect(decodeSaslAuthenticateRequest(reader, 2)).toEqual({ authBytes: Buffer.from('abc') });
    expect(reader.remaining).toBe(0);

    const writer = new Writer();
    encodeSaslAuthenticateResponse(writer, 2, {
      errorCode: 58,
      errorMessage: 'no',
      authBytes: Buffer.alloc(0),
    });
    const response = new Reader(writer.toBuffer());
    expect(response.int16()).toBe(58);
    expect(response.compactNullableString()).toBe('no');
    expect(response.compactNullableBytes()).toEqual(Buffer.alloc(0));
    expect(response.int64()).toBe(0);
    response.taggedFields();
    expect(response.remaining).toBe(0);
  });
});

import type { Producer } from 'kafkajs';
import { uniqueName } from '@tracker/testing';
import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { RawConnection } from '../testing/raw-connection';
import { useTestBroker } from '../testing/use-test-broker';

const MAX_REQUEST_BYTES = 64 * 1024;

describe('a broker receiving bad input', () => {
  const suite = useTestBroker({ maxRequestBytes: MAX_REQUEST_BYTES });
  let producer: Producer;
  const topic = uniqueName('survivor');
  let sent = 0;

  beforeAll(async () => {
    producer = suite.kit.producer();
    await producer.connect();
  });

  /** The long-lived kafkajs client is unaffected by whatever another connection did. */
  async function expectBystanderStillServed(): Promise<void> {
    const [result] = await producer.send({ topic, messages: [{ value: `still here ${sent}` }] });
    expect(result).toMatchObject({ errorCode: 0, baseOffset: String(sent) });
    sent += 1;
  }

  async function expectClosedBy(send: (client: RawConnection) => void): Promise<void> {
    const client = await RawConnection.open(suite.broker.port);
    send(client);
    await client.closedByBroker();
    await expect(client.response(100)).rejects.toThrow('connection closed');
    await expectBystanderStillServed();
  }

  it('closes a connection whose frame exceeds maxRequestBytes, before reading its body', async () => {
    await expectClosedBy((client) => {
      const prefix = Buffer.alloc(4);
      prefix.writeInt32BE(MAX_REQUEST_BYTES + 1);
      client.write(prefix);
    });
  });

  it('closes a connection that sends a negative or header-less frame size', async () => {
    await expectClosedBy((client) => client.write(Buffer.from([0xff, 0xff, 0xff, 0xff])));
    await expectClosedBy((client) => client.sendFrame(Buffer.from([0, 3, 0, 1])));
  });

  it('closes a connection whose request body is truncated', async () => {
    // Metadata v1 announcing 5 topic names and carrying none of them.
    await expectClosedBy((client) =>
      client.request(ApiKey.Metadata, 1, 7, new Writer().int32(5).toBuffer()),
    );
  });

  it('closes a connection whose frame holds random garbage after a valid size', async () => {
    const garbage = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 7919) % 256));
    await expectClosedBy((client) => client.sendFrame(garbage));
  });

  it('closes a connection that sends an unknown API key', async () => {
    await expectClosedBy((client) => client.request(999, 0, 1, Buffer.alloc(0)));
  });

  it('closes a connection that sends an unsupported version of a known API', async () => {
    await expectClosedBy((client) => client.request(ApiKey.Produce, 2, 1, Buffer.alloc(0)));
  });

  it('answers a too-new ApiVersions with UNSUPPORTED_VERSION and its range, and keeps the connection', async () => {
    const client = await RawConnection.open(suite.broker.port);
    try {
      // A future header layout the broker cannot parse: only key, version and correlation id count.
      client.sendFrame(
        new Writer().int16(ApiKey.ApiVersions).int16(9).int32(77).int8(-3).toBuffer(),
      );
      const refused = await client.response();
      expect(refused.correlationId).toBe(77);
      const reader = new Reader(refused.body);
      expect(reader.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
      expect(reader.array((r) => [r.int16(), r.int16(), r.int16()])).toEqual([
        [ApiKey.ApiVersions, 0, 3],
      ]);
      expect(reader.remaining).toBe(0);

      client.request(ApiKey.ApiVersions, 0, 78, Buffer.alloc(0));
      const retried = await client.response();
      expect(retried.correlationId).toBe(78);
      expect(retried.body.readInt16BE(0)).toBe(ErrorCode.NONE);
      expect(client.isOpen).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('keeps serving a client that sends many pipelined requests in one write', async () => {
    const client = await RawConnection.open(suite.broker.port);
    try {
      const frames = Array.from({ length: 200 }, (_, i) => {
        const body = new Writer().int16(ApiKey.ApiVersions).int16(0).int32(i).string('pipelined');
        const size = Buffer.alloc(4);
        size.writeInt32BE(body.size);
        return Buffer.concat([size, body.toBuffer()]);
      });
      client.write(Buffer.concat(frames));
      for (let i = 0; i < 200; i++) {
        await expect(client.response()).resolves.toMatchObject({ correlationId: i });
      }
    } finally {
      await client.close();
    }
  });
});

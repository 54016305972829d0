import { createRequire } from 'node:module';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { CompressionCodec } from '../storage/record-batch';

/**
 * The bridge to kafkajs's own protocol modules (node_modules/kafkajs/src/protocol): request
 * bodies and whole frames byte for byte as kafkajs 2.2.4 puts them on the wire, and responses
 * decoded exactly as kafkajs decodes them, so specs prove compatibility with a real client
 * instead of with our own assumptions. kafkajs is loaded with Node's require (not jest's
 * registry) so its Decoder can be instrumented.
 */

interface KafkajsEncoder {
  readonly buffer: Buffer;
}

interface KafkajsRequest {
  encode(): Promise<KafkajsEncoder> | KafkajsEncoder;
}

type EncodeFrame = (request: {
  correlationId: number;
  clientId: string | null;
  request: KafkajsRequest;
}) => Promise<KafkajsEncoder>;

interface KafkajsResponseModule {
  decode(payload: Buffer): Promise<unknown>;
  parse(decoded: unknown): Promise<unknown>;
}

interface KafkajsDecoder {
  readonly buffer: Buffer;
  readonly offset: number;
}

const load = createRequire(__filename);
const decodersCreated: KafkajsDecoder[] = [];
instrumentKafkajsDecoder();

/**
 * kafkajs's response decoders ignore trailing bytes, so a body with an extra field would still
 * "decode". Recording every Decoder lets {@link kafkajsDecode} assert the body was consumed
 * exactly. This must run before any kafkajs response module is loaded.
 */
function instrumentKafkajsDecoder(): void {
  const decoderPath = load.resolve('kafkajs/src/protocol/decoder');
  const Original = load(decoderPath) as new (buffer: Buffer) => KafkajsDecoder;
  class TrackingDecoder extends Original {
    constructor(buffer: Buffer) {
      super(buffer);
      decodersCreated.push(this);
    }
  }
  const cached = load.cache[decoderPath];
  if (cached) cached.exports = TrackingDecoder;
}

function modulePath(api: string, version: number, kind: 'request' | 'response'): string {
  return `kafkajs/src/protocol/requests/${api}/v${version}/${kind}`;
}

function kafkajsRequest(api: string, version: number, args: unknown): KafkajsRequest {
  const build = load(modulePath(api, version, 'request')) as (a: unknown) => KafkajsRequest;
  return build(args);
}

/** The request body bytes kafkajs would put on the wire (after the request header). */
export async function kafkajsRequestBytes(
  api: string,
  version: number,
  args: unknown = {},
): Promise<Buffer> {
  const encoder = await kafkajsRequest(api, version, args).encode();
  return encoder.buffer;
}

export interface FrameOptions {
  readonly correlationId?: number;
  /** Null is written as a null string, as kafkajs does for a client without an id. */
  readonly clientId?: string | null;
}

/** A complete request frame (size prefix, header v1, body) for `<api>/v<version>`. */
export async function kafkajsFrame(
  api: string,
  version: number,
  args: unknown = {},
  { correlationId = 1, clientId = 'conformance' }: FrameOptions = {},
): Promise<Buffer> {
  const encodeFrame = load('kafkajs/src/protocol/request') as EncodeFrame;
  const request = kafkajsRequest(api, version, args);
  const encoder = await encodeFrame({ correlationId, clientId, request });
  return Buffer.from(encoder.buffer);
}

/** A reader over the request body kafkajs would send. */
export async function kafkajsBody(
  api: string,
  version: number,
  args: unknown = {},
): Promise<Reader> {
  return new Reader(await kafkajsRequestBytes(api, version, args));
}

/** A response body (after the correlation id), or what writes it. */
export type ResponseBody = Buffer | ((writer: Writer) => void);

/**
 * A few kafkajs response modules (DeleteRecords) are factories of the request's arguments,
 * which their parse step reports errors against.
 */
type KafkajsResponseExport =
  KafkajsResponseModule | ((requestArgs: unknown) => KafkajsResponseModule);

async function decodeExactly(
  api: string,
  version: number,
  response: ResponseBody,
  requestArgs: unknown,
): Promise<{ module: KafkajsResponseModule; decoded: unknown }> {
  const loaded = load(modulePath(api, version, 'response')) as KafkajsResponseExport;
  const module = typeof loaded === 'function' ? loaded(requestArgs) : loaded;
  const body = Buffer.isBuffer(response) ? response : written(response);
  decodersCreated.length = 0;
  const decoded = await module.decode(body);
  const top = decodersCreated.find((d) => d.buffer === body);
  if (!top) throw new Error(`kafkajs ${api} v${version} decoded without a Decoder`);
  if (top.offset !== body.length) {
    throw new Error(`kafkajs ${api} v${version} left ${body.length - top.offset} bytes unread`);
  }
  return { module, decoded };
}

function written(encodeBody: (writer: Writer) => void): Buffer {
  const writer = new Writer();
  encodeBody(writer);
  return writer.toBuffer();
}

/**
 * Decodes a response body exactly as kafkajs does, without its error-throwing parse step, and
 * fails unless kafkajs consumed every byte.
 */
export async function kafkajsDecode<T = Record<string, unknown>>(
  api: string,
  version: number,
  body: ResponseBody,
  requestArgs: unknown = {},
): Promise<T> {
  return (await decodeExactly(api, version, body, requestArgs)).decoded as T;
}

/** Decodes and then runs kafkajs's parse step, which throws on any error code. */
export async function kafkajsParse<T = Record<string, unknown>>(
  api: string,
  version: number,
  body: ResponseBody,
  requestArgs: unknown = {},
): Promise<T> {
  const { module, decoded } = await decodeExactly(api, version, body, requestArgs);
  return (await module.parse(decoded)) as T;
}

/** All versions in [from, to], for `it.each`. */
export function versions(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A Produce v7 frame (acks -1) of `messages` to partition 0 of `topic`. */
export function produceFrame(
  topic: string,
  messages: { key?: string; value: string; timestamp?: number }[],
  options: { gzip?: boolean; correlationId?: number } = {},
): Promise<Buffer> {
  return kafkajsFrame(
    'produce',
    7,
    {
      acks: -1,
      timeout: 5000,
      compression: options.gzip ? CompressionCodec.Gzip : CompressionCodec.None,
      topicData: [{ topic, partitions: [{ partition: 0, messages }] }],
    },
    { correlationId: options.correlationId },
  );
}

/**
 * Where the record batch starts in a single-topic, single-partition Produce v3+ frame: right
 * after the topic name, the partition count, the partition index and the record-set size.
 */
export function recordBatchOffset(frame: Buffer, topic: string): number {
  const name = frame.indexOf(Buffer.from(topic));
  if (name < 0) throw new Error(`topic ${topic} not found in the frame`);
  return name + Buffer.byteLength(topic) + 12;
}

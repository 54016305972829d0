import { createRequire } from 'node:module';
import { Reader } from './reader';
import { Writer } from './writer';

/**
 * Test-only bridge to kafkajs's own protocol modules (node_modules/kafkajs/src/protocol), so the
 * codec specs prove byte compatibility with a real client instead of with our own assumptions.
 * kafkajs is loaded with Node's require (not jest's registry) so its Decoder can be instrumented.
 */

interface KafkajsEncoder {
  readonly buffer: Buffer;
}

interface KafkajsRequest {
  encode(): Promise<KafkajsEncoder> | KafkajsEncoder;
}

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

/** The request body bytes kafkajs would put on the wire (after the request header). */
export async function kafkajsRequestBytes(
  api: string,
  version: number,
  args: unknown = {},
): Promise<Buffer> {
  const build = load(modulePath(api, version, 'request')) as (a: unknown) => KafkajsRequest;
  const encoder = await build(args).encode();
  return encoder.buffer;
}

/** A reader over the request body kafkajs would send. */
export async function kafkajsRequestBody(
  api: string,
  version: number,
  args: unknown = {},
): Promise<Reader> {
  return new Reader(await kafkajsRequestBytes(api, version, args));
}

async function decodeExactly(
  api: string,
  version: number,
  encodeBody: (writer: Writer) => void,
): Promise<{ module: KafkajsResponseModule; decoded: unknown }> {
  const module = load(modulePath(api, version, 'response')) as KafkajsResponseModule;
  const writer = new Writer();
  encodeBody(writer);
  const body = writer.toBuffer();
  decodersCreated.length = 0;
  const decoded = await module.decode(body);
  const top = decodersCreated.find((d) => d.buffer === body);
  if (!top) throw new Error(`kafkajs ${api} v${version} decoded without a Decoder`);
  if (top.offset !== body.length) {
    throw new Error(`kafkajs ${api} v${version} left ${body.length - top.offset} bytes unread`);
  }
  return { module, decoded };
}

/** Decodes a response body exactly as kafkajs does, without its error-throwing parse step. */
export async function kafkajsDecode<T = Record<string, unknown>>(
  api: string,
  version: number,
  encodeBody: (writer: Writer) => void,
): Promise<T> {
  return (await decodeExactly(api, version, encodeBody)).decoded as T;
}

/** Decodes and then runs kafkajs's parse step, which throws on any error code. */
export async function kafkajsParse<T = Record<string, unknown>>(
  api: string,
  version: number,
  encodeBody: (writer: Writer) => void,
): Promise<T> {
  const { module, decoded } = await decodeExactly(api, version, encodeBody);
  return (await module.parse(decoded)) as T;
}

/** All versions in [from, to], for `it.each`. */
export function versions(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

// Types for the kafkajs internals that test builders use to produce real wire bytes. kafkajs
// ships no declarations for its protocol modules; these cover only what the builders call.

declare module 'kafkajs/src/protocol/encoder' {
  class Encoder {
    buffer: Buffer;
  }
  export = Encoder;
}

declare module 'kafkajs/src/protocol/decoder' {
  class Decoder {
    constructor(buffer: Buffer);
    offset: number;
    buffer: Buffer;
  }
  export = Decoder;
}

declare module 'kafkajs/src/protocol/recordBatch/record/v0' {
  import Encoder from 'kafkajs/src/protocol/encoder';
  function Record(record: {
    offsetDelta: number;
    timestampDelta: number;
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, Buffer | string>;
  }): Encoder;
  export = Record;
}

declare module 'kafkajs/src/protocol/recordBatch/v0' {
  import Encoder from 'kafkajs/src/protocol/encoder';
  export function RecordBatch(options: {
    compression: number;
    firstOffset: number;
    firstTimestamp: number;
    maxTimestamp: number;
    partitionLeaderEpoch: number;
    lastOffsetDelta: number;
    transactional: boolean;
    producerId: number;
    producerEpoch: number;
    firstSequence: number;
    records: Encoder[];
  }): Promise<Encoder>;
}

declare module 'kafkajs/src/protocol/recordBatch/v0/decoder' {
  import Decoder from 'kafkajs/src/protocol/decoder';
  interface DecodedRecord {
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, Buffer | Buffer[]>;
  }
  function decodeRecordBatch(decoder: Decoder): Promise<{
    firstOffset: string;
    inTransaction: boolean;
    isControlBatch: boolean;
    records: DecodedRecord[];
  }>;
  export = decodeRecordBatch;
}

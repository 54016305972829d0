import Decoder from 'kafkajs/src/protocol/decoder';
import Record from 'kafkajs/src/protocol/recordBatch/record/v0';
import decodeRecordBatch from 'kafkajs/src/protocol/recordBatch/v0/decoder';
import { RecordBatch } from 'kafkajs/src/protocol/recordBatch/v0';
import {
  BatchField,
  CONTROL_ATTRIBUTE,
  CompressionCodec,
  computeCrc,
} from '../storage/record-batch';

/** One record to put in a batch; key/value strings are UTF-8 encoded. */
export interface TestRecord {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  /** Defaults to the builder's clock (Date.now() unless `withTimestamp`). */
  timestamp?: number;
  headers?: Record<string, string | Buffer>;
}

/** A record read back from stored batches with kafkajs's own decoder. */
export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
}

/**
 * Builds real RecordBatch v2 bytes with kafkajs's own encoder, exactly as a kafkajs producer
 * puts them in a Produce request (baseOffset 0, offset deltas 0..n-1, timestamp deltas from the
 * smallest timestamp). Example: `await aRecordBatch().withRecords([{ key: 'k', value: 'v' }]).build()`.
 */
export class RecordBatchBuilder {
  private records: TestRecord[] = [{ key: 'key-0', value: 'value-0' }];
  private compression = 0;
  private transactionalFlag = false;
  private controlFlag = false;
  private producer = { producerId: -1, producerEpoch: 0, baseSequence: 0 };
  private baseOffset = 0;
  private clock = Date.now();

  withRecords(records: TestRecord[]): this {
    this.records = records;
    return this;
  }

  /** `count` records with values `value-0`… of roughly `valueBytes` bytes each. */
  withGeneratedRecords(count: number, valueBytes = 16): this {
    this.records = Array.from({ length: count }, (_, i) => ({
      key: `key-${i}`,
      value: `value-${i}-`.padEnd(valueBytes, 'x'),
    }));
    return this;
  }

  /** Timestamp given to records that have none. */
  withTimestamp(timestamp: number): this {
    this.clock = timestamp;
    return this;
  }

  gzipped(): this {
    this.compression = CompressionCodec.Gzip;
    return this;
  }

  withProducer(producerId: number, producerEpoch: number, baseSequence: number): this {
    this.producer = { producerId, producerEpoch, baseSequence };
    return this;
  }

  withBaseOffset(baseOffset: number): this {
    this.baseOffset = baseOffset;
    return this;
  }

  /** Sets the transactional attribute, as a transactional kafkajs producer does. */
  transactional(): this {
    this.transactionalFlag = true;
    return this;
  }

  /** Sets the control-batch attribute (and fixes up the CRC); no client library sends these. */
  control(): this {
    this.controlFlag = true;
    return this;
  }

  async build(): Promise<Buffer> {
    const timestamps = this.records.map((record) => record.timestamp ?? this.clock);
    const firstTimestamp = timestamps.length > 0 ? Math.min(...timestamps) : this.clock;
    const maxTimestamp = timestamps.length > 0 ? Math.max(...timestamps) : this.clock;
    const encoded = await RecordBatch({
      compression: this.compression,
      firstOffset: this.baseOffset,
      firstTimestamp,
      maxTimestamp,
      partitionLeaderEpoch: 0,
      lastOffsetDelta: this.records.length - 1,
      transactional: this.transactionalFlag,
      producerId: this.producer.producerId,
      producerEpoch: this.producer.producerEpoch,
      firstSequence: this.producer.baseSequence,
      records: this.records.map((record, i) =>
        Record({
          offsetDelta: i,
          timestampDelta: timestamps[i] - firstTimestamp,
          key: toBuffer(record.key ?? null),
          value: toBuffer(record.value),
          headers: record.headers ?? {},
        }),
      ),
    });
    const batch = Buffer.from(encoded.buffer);
    if (this.controlFlag) {
      const attributes = batch.readInt16BE(BatchField.attributes);
      batch.writeInt16BE(attributes | CONTROL_ATTRIBUTE, BatchField.attributes);
      resealRecordBatch(batch);
    }
    return batch;
  }
}

/**
 * Recomputes the CRC-32C of the batch at `at` (by default one that runs to the end of `buf`,
 * as in a single-partition Produce frame), so an edited batch passes the broker's CRC check and
 * reaches the code behind it.
 */
export function resealRecordBatch(buf: Buffer, at = 0, size = buf.length - at): void {
  buf.writeUInt32BE(computeCrc(buf, at, size), at + BatchField.crc);
}

export function aRecordBatch(): RecordBatchBuilder {
  return new RecordBatchBuilder();
}

/**
 * Decodes every record of a buffer of whole batches (a Fetch records blob or a segment's bytes)
 * with kafkajs's consumer-side decoder, gzip included.
 */
export async function decodeRecords(blob: Buffer): Promise<DecodedRecord[]> {
  const decoder = new Decoder(blob);
  const records: DecodedRecord[] = [];
  while (decoder.offset < blob.length) {
    const batch = await decodeRecordBatch(decoder);
    for (const record of batch.records) {
      records.push({
        offset: Number(record.offset),
        timestamp: Number(record.timestamp),
        key: record.key,
        value: record.value,
        headers: record.headers,
      });
    }
  }
  return records;
}

function toBuffer(value: string | Buffer | null): Buffer | null {
  return typeof value === 'string' ? Buffer.from(value) : value;
}

/**
 * Kafka's int64 fields (offsets, timestamps, producer ids) as JavaScript numbers. Their values
 * stay within ±2^53, so plain numbers are exact and spare every record batch the cost of BigInt.
 */
const TWO_POW_32 = 0x1_0000_0000;

/** Reads a signed 64-bit big-endian integer at `at` (exact within ±2^53). */
export function readInt64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * TWO_POW_32 + buf.readUInt32BE(at + 4);
}

/** Writes `value` as a signed 64-bit big-endian integer at `at`. */
export function writeInt64(buf: Buffer, at: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(high, at);
  buf.writeUInt32BE(value - high * TWO_POW_32, at + 4);
}

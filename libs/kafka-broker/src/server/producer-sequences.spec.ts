import { ErrorCode } from '../protocol/error-codes';
import {
  addSequence,
  partitionKey,
  ProducerSequences,
  type SequencedBatch,
} from './producer-sequences';

const key = partitionKey('orders', 0);

function batch(firstSequence: number, records = 1, producerEpoch = 0): SequencedBatch {
  return {
    producerId: 7,
    producerEpoch,
    firstSequence,
    lastSequence: addSequence(firstSequence, records - 1),
  };
}

describe(ProducerSequences.name, () => {
  it('accepts the first batch of an unknown producer at any sequence (state lost in a restart)', () => {
    expect(new ProducerSequences().check(key, batch(42)).kind).toBe('append');
  });

  it('answers a retried batch with the offset of the original', async () => {
    const sequences = new ProducerSequences();
    sequences.track(key, batch(0, 3), Promise.resolve(100));
    const verdict = sequences.check(key, batch(0, 3));
    expect(verdict.kind).toBe('duplicate');
    await expect(verdict.kind === 'duplicate' && verdict.baseOffset).resolves.toBe(100);
  });

  it('accepts the next sequence and refuses a gap', () => {
    const sequences = new ProducerSequences();
    sequences.track(key, batch(0, 3), Promise.resolve(0));
    expect(sequences.check(key, batch(3)).kind).toBe('append');
    expect(sequences.check(key, batch(5))).toEqual({
      kind: 'reject',
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
  });

  it('keeps partitions apart', () => {
    const sequences = new ProducerSequences();
    sequences.track(key, batch(0, 3), Promise.resolve(0));
    expect(sequences.check(partitionKey('orders', 1), batch(0)).kind).toBe('append');
  });

  it('forgets a batch whose append failed, so its retry is appended', async () => {
    const sequences = new ProducerSequences();
    const failed = Promise.reject(new Error('disk full'));
    sequences.track(key, batch(0), failed);
    await expect(failed).rejects.toThrow('disk full');
    expect(sequences.check(key, batch(0)).kind).toBe('append');
  });

  it('requires sequence 0 after an epoch bump and refuses an older epoch', () => {
    const sequences = new ProducerSequences();
    sequences.track(key, batch(0, 1, 1), Promise.resolve(0));
    expect(sequences.check(key, batch(5, 1, 2)).kind).toBe('reject');
    expect(sequences.check(key, batch(0, 1, 2)).kind).toBe('append');
    expect(sequences.check(key, batch(1, 1, 0))).toEqual({
      kind: 'reject',
      errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
    });
  });

  it('wraps the sequence after 2^31 - 1', () => {
    const sequences = new ProducerSequences();
    sequences.track(key, batch(0x7fff_fffe, 2), Promise.resolve(0));
    expect(sequences.check(key, batch(0)).kind).toBe('append');
  });

  it('forgets every partition of a deleted topic', () => {
    const sequences = new ProducerSequences();
    sequences.track(key, batch(0), Promise.resolve(0));
    sequences.forgetTopic('orders');
    expect(sequences.knows(key, 7)).toBe(false);
  });
});

import { ProducerIdAllocator } from './producer-id-allocator';

describe(ProducerIdAllocator.name, () => {
  it('issues strictly increasing ids even within one millisecond', () => {
    const allocator = new ProducerIdAllocator(() => 1_700_000_000_000);
    const ids = Array.from({ length: 5 }, () => allocator.next());
    expect(new Set(ids).size).toBe(5);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('gives a restarted broker ids above every id of the previous run', () => {
    let clock = 1_700_000_000_000;
    const before = new ProducerIdAllocator(() => clock);
    const issued = Array.from({ length: 500 }, () => before.next());
    clock += 1;
    const after = new ProducerIdAllocator(() => clock);
    expect(after.next()).toBeGreaterThan(Math.max(...issued));
  });

  it('keeps ids exact as JavaScript numbers', () => {
    expect(Number.isSafeInteger(new ProducerIdAllocator().next())).toBe(true);
  });
});

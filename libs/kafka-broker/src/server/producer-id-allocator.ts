/** Ids allotted per millisecond of wall-clock time before the allocator runs ahead of the clock. */
const IDS_PER_MILLISECOND = 1024;

/**
 * Hands out idempotent-producer ids that stay unique across broker restarts without persisting
 * anything: an id is `now_ms * 1024 + n`, and never less than the previous id + 1. A restarted
 * broker starts from its new clock reading, past every id the previous run could have issued
 * unless that run averaged more than 1024 InitProducerId calls per millisecond (it cannot) or the
 * clock went backwards. The values stay below 2^53 until the year 2248, so they are exact numbers.
 */
export class ProducerIdAllocator {
  private last = -1;

  constructor(private readonly now: () => number = Date.now) {}

  next(): number {
    this.last = Math.max(this.last + 1, this.now() * IDS_PER_MILLISECOND);
    return this.last;
  }
}

import { noneMatchHits, strongETag } from './cacheable';

describe('cacheable answers', () => {
  const etag = strongETag('{"a":1}');

  it('tags a body by its content, strong and quoted', () => {
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(strongETag('{"a":1}')).toBe(etag);
    expect(strongETag('{"a":2}')).not.toBe(etag);
  });

  it.each([
    [etag, true],
    [`"other", ${etag}`, true],
    [`W/${etag}`, true],
    ['*', true],
    ['"other"', false],
    [etag.slice(1, -1), false],
    [undefined, false],
  ])('matches If-None-Match %s: %s', (header, hit) => {
    expect(noneMatchHits(header, etag)).toBe(hit);
  });
});

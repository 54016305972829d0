import { requestIdOf, requestLogLevel } from './logging.module';

describe(requestLogLevel.name, () => {
  it.each([
    [201, false, 'debug'],
    [304, false, 'debug'],
    [404, false, 'info'],
    [429, false, 'info'],
    [500, false, 'error'],
    [200, true, 'error'],
  ] as const)('logs status %d (aborted: %s) at %s', (status, aborted, level) => {
    expect(requestLogLevel(status, aborted)).toBe(level);
  });
});

describe(requestIdOf.name, () => {
  it("keeps the caller's well-formed id and replaces a malformed or missing one", () => {
    expect(requestIdOf('trace-42')).toBe('trace-42');
    expect(requestIdOf('has space')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(['a', 'b'])).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

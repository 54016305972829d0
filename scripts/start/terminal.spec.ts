import { lineView, readable, showsEverything, terminalDestination } from './terminal';

const pino = (level: number, msg: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ level, time: 1, pid: 7, hostname: 'h', msg, ...extra });

describe('what npm start shows a person at a terminal', () => {
  it('hides request logs and other informational lines of the services and the broker', () => {
    expect(readable('gateway', pino(30, 'request completed', { req: { url: '/v1' } }))).toBe(
      undefined,
    );
    expect(readable('kafka', pino(30, 'client connected'))).toBe(undefined);
  });

  it('tells the demo’s story one line per step, without the JSON', () => {
    expect(readable('demo', pino(30, 'Germany pledges 100,000 shells', { at: '2024-03-20' }))).toBe(
      'Germany pledges 100,000 shells',
    );
  });

  it('shows every warning and error with its cause, once', () => {
    expect(readable('gateway', pino(40, 'upstream slow'))).toBe('warning: upstream slow');
    expect(
      readable('projection-service', pino(50, 'fold failed', { err: { message: 'ECONNRESET' } })),
    ).toBe('error: fold failed (ECONNRESET)');
    expect(readable('demo', pino(40, 'write failed: 503', { err: '503' }))).toBe(
      'warning: write failed: 503',
    );
  });

  it('keeps raw lines of Postgres and Redis only when they report trouble', () => {
    expect(readable('postgres', '2026-12-07 LOG:  checkpoint starting: time')).toBe(undefined);
    expect(readable('postgres', '2026-12-07 FATAL:  the database system is shutting down')).toBe(
      '2026-12-07 FATAL:  the database system is shutting down',
    );
    expect(readable('redis', '1:M 07 Dec 2026 * Ready to accept connections tcp')).toBe(undefined);
    expect(readable('redis', '1:M 07 Dec 2026 # WARNING Memory overcommit must be enabled!')).toBe(
      '1:M 07 Dec 2026 # WARNING Memory overcommit must be enabled!',
    );
  });

  it('passes every line as written when stdout is no terminal or LOG_LEVEL asks for detail', () => {
    const line = pino(30, 'request completed');
    expect(showsEverything({}, false)).toBe(true);
    expect(showsEverything({ LOG_LEVEL: 'debug' }, true)).toBe(true);
    expect(showsEverything({ LOG_LEVEL: 'info' }, true)).toBe(false);
    expect(lineView('gateway', {}, false)(line)).toBe(`[gateway] ${line}`);
    expect(lineView('gateway', { LOG_LEVEL: 'trace' }, true)(line)).toBe(`[gateway] ${line}`);
    expect(lineView('gateway', {}, true)(line)).toBe(undefined);
    expect(lineView('gateway', {}, true)(pino(40, 'slow'))).toBe('[gateway] warning: slow');
  });

  it('labels the launcher’s own loggers’ lines by their name', () => {
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const destination = terminalDestination({}, true);
      destination.write(`${pino(30, 'connected', { name: 'kafka' })}\n`);
      destination.write(`${pino(40, 'slow fetch', { name: 'kafka' })}\n`);
    } finally {
      write.mockRestore();
    }
    expect(written).toEqual(['[kafka] warning: slow fetch\n']);
  });
});

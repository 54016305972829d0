import { DeadlineExceeded, waitFor } from './wait-for';

describe(waitFor.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('polls a probe until it returns something other than undefined or false', async () => {
    const answers = [undefined, false, 'ready'];
    const waiting = waitFor('the answer', () => answers.shift(), { intervalMs: 10 });
    await jest.advanceTimersByTimeAsync(20);
    await expect(waiting).resolves.toBe('ready');
    expect(answers).toEqual([]);
  });

  it('names the wait and the last probe error when the deadline passes', async () => {
    const waiting = waitFor(
      'the server',
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 100, intervalMs: 10 },
    );
    const failure = expect(waiting).rejects.toThrow(
      new DeadlineExceeded('the server', 100, new Error('connection refused')),
    );
    await jest.advanceTimersByTimeAsync(100);
    await failure;
    await expect(waiting).rejects.toThrow(
      'timed out after 100 ms waiting for the server (last error: connection refused)',
    );
  });

  it('does not let a probe that never settles outlast the deadline', async () => {
    const waiting = waitFor('a hung probe', () => new Promise<never>(() => undefined), {
      timeoutMs: 50,
    });
    const failure = expect(waiting).rejects.toBeInstanceOf(DeadlineExceeded);
    await jest.advanceTimersByTimeAsync(50);
    await failure;
  });

  it('awaits a promise, whatever it resolves to, and passes its rejection on', async () => {
    await expect(waitFor('a false answer', Promise.resolve(false))).resolves.toBe(false);
    await expect(waitFor('a failing step', Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
  });

  it('fails a promise that does not settle before the deadline', async () => {
    const waiting = waitFor('a step', new Promise<never>(() => undefined), { timeoutMs: 30 });
    const failure = expect(waiting).rejects.toThrow('timed out after 30 ms waiting for a step');
    await jest.advanceTimersByTimeAsync(30);
    await failure;
  });
});

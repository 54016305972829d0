import { Semaphore } from './semaphore';

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order', async () => {
    const semaphore = new Semaphore(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 6 }, () => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      return { gate, open };
    });
    const tasks = gates.map(({ gate }, index) =>
      semaphore.run(async () => {
        running += 1;
        most = Math.max(most, running);
        order.push(index);
        await gate;
        running -= 1;
        return index;
      }),
    );
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    expect(semaphore.queued).toBe(4);
    for (const { open } of gates) open();
    await expect(Promise.all(tasks)).resolves.toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('passes the turn on when a task fails', async () => {
    const semaphore = new Semaphore(1);
    const failed = semaphore.run(() => Promise.reject(new Error('boom')));
    const next = semaphore.run(() => Promise.resolve('ran'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
    expect(semaphore.queued).toBe(0);
  });
});

import { ClientOutbox } from './client-outbox';
import { LiveUpdate } from './live.events';

const cause = { id: 'e', type: 'tracker.test.v1', time: '2026-01-01T00:00:00Z' };
const update = (channel: string, cursor: number): LiveUpdate => ({
  channel,
  cursor: `c${cursor}`,
  value: cursor,
  cause,
});

function transport() {
  const written: string[] = [];
  const state = { writable: true };
  return {
    state,
    written,
    writable: () => state.writable,
    write: (sent: LiveUpdate) => written.push(`${sent.channel}@${sent.cursor}`),
  };
}

describe(ClientOutbox.name, () => {
  it('writes in order while the client keeps up', () => {
    const client = transport();
    const outbox = new ClientOutbox(client, 10);
    outbox.push(update('a', 1));
    outbox.push(update('b', 2));
    outbox.flush();
    expect(client.written).toEqual(['a@c1', 'b@c2']);
    expect(outbox.size).toBe(0);
  });

  it('holds updates while the client lags and sends them when it drains', () => {
    const client = transport();
    const outbox = new ClientOutbox(client, 10);
    client.state.writable = false;
    outbox.push(update('a', 1));
    outbox.flush();
    expect(client.written).toEqual([]);
    client.state.writable = true;
    outbox.flush();
    expect(client.written).toEqual(['a@c1']);
  });

  it('past its limit merges to the latest update per channel, keeping their order', () => {
    const client = transport();
    const outbox = new ClientOutbox(client, 4);
    client.state.writable = false;
    [update('a', 1), update('b', 2), update('a', 3), update('c', 4), update('b', 5)].forEach(
      (queued) => outbox.push(queued),
    );
    expect(outbox.merges).toBe(1);
    client.state.writable = true;
    outbox.flush();
    expect(client.written).toEqual(['a@c3', 'c@c4', 'b@c5']);
  });

  it('never merges away a reply, and sends it in its place', () => {
    const client = transport();
    const outbox = new ClientOutbox(client, 2);
    client.state.writable = false;
    outbox.push(update('a', 1));
    outbox.pushControl(() => client.written.push('ack'));
    outbox.push(update('a', 2));
    client.state.writable = true;
    outbox.flush();
    expect(client.written).toEqual(['ack', 'a@c2']);
  });

  it('drops what is queued for channels the client left', () => {
    const client = transport();
    const outbox = new ClientOutbox(client, 10);
    client.state.writable = false;
    outbox.push(update('a', 1));
    outbox.push(update('b', 2));
    outbox.discard((queued) => queued.channel === 'a');
    client.state.writable = true;
    outbox.flush();
    expect(client.written).toEqual(['b@c2']);
  });
});

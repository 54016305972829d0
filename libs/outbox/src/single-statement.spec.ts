import { buildEvent } from '@tracker/contracts';
import { aPledge } from '@tracker/testing';
import { singleStatementWrite } from './single-statement';

const insert = {
  sql: 'insert into things (id) values ($1) on conflict do nothing',
  values: ['t-1'],
};
const event = () =>
  buildEvent('tracker.pledge.announced.v1', aPledge().build(), { source: '/test' });
const idempotency = {
  request: { scope: 'token-digest', key: 'key-1', fingerprint: 'fingerprint' },
  answer: { status: 201, body: { id: 't-1' } },
};

describe(singleStatementWrite.name, () => {
  it('numbers the outbox and key parameters after the entity insert’s own', () => {
    const statement = singleStatementWrite(insert, { events: [event()], idempotency });
    expect(statement.values).toHaveLength(1 + 5 + 5);
    expect(statement.values[0]).toBe('t-1');
    expect(statement.values.slice(6)).toEqual([
      'token-digest',
      'key-1',
      'fingerprint',
      201,
      '{"id":"t-1"}',
    ]);
    expect(statement.text).toContain('$11::jsonb');
    expect(statement.text).not.toContain('$12');
  });

  it('writes the outbox rows and the key only when the entity row was inserted', () => {
    const { text } = singleStatementWrite(insert, { events: [event(), event()], idempotency });
    expect(text).toMatch(/^with entity as \(insert into things .* returning 1\)/);
    expect(text.match(/where exists \(select 1 from entity\)/g)).toHaveLength(2);
    expect(text).toMatch(/select exists \(select 1 from entity\) as applied$/);
  });

  it('notifies the channel only when asked', () => {
    expect(singleStatementWrite(insert, { events: [event()] }).text).not.toContain('pg_notify');
    const notifying = singleStatementWrite(insert, {
      events: [event()],
      notifyChannel: 'outbox_x',
    });
    expect(notifying.text).toContain('pg_notify($7::text');
    expect(notifying.values.at(-1)).toBe('outbox_x');
  });

  it('names a statement by its shape, the same for the same shape whatever its values', () => {
    const one = singleStatementWrite(insert, { events: [event()] });
    const again = singleStatementWrite({ ...insert, values: ['t-2'] }, { events: [event()] });
    const two = singleStatementWrite(insert, { events: [event(), event()] });
    expect(again.name).toBe(one.name);
    expect(two.name).not.toBe(one.name);
  });
});

import { parse, parseMessage, serialize } from './codec';
import { CLOUDEVENTS_CONTENT_TYPE } from './envelope';
import { okFixtures } from './fixtures/fixtures';
import { ContractViolationError } from './violation';
import { TOPICS } from './topics';
import { TrackerEvent } from './events';

const fixture = (name: string) => {
  const found = okFixtures().find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return structuredClone(found.event) as unknown as Record<string, unknown> & {
    data: Record<string, unknown>;
  };
};
const pledge = () => fixture('pledge.announced.eu-1m-shells');
const bytes = (event: unknown) => Buffer.from(JSON.stringify(event));
const paths = (result: ReturnType<typeof parse>) =>
  result.ok ? [] : result.error.violations.map((violation) => violation.path);
const cloudEventsHeaders = { 'content-type': CLOUDEVENTS_CONTENT_TYPE };

describe('parse', () => {
  it('returns the typed event, narrowed by its type', () => {
    const result = parse(
      TOPICS.pledges,
      bytes(pledge()),
      cloudEventsHeaders,
      pledge().partitionkey as string,
    );
    expect(result.ok).toBe(true);
    if (result.ok && result.event.type === 'tracker.pledge.announced.v1') {
      expect(result.event.data.quantity).toBe(100000);
      expect(result.event.data.programme).toBe('EU-1M-SHELLS');
    }
  });

  it('ignores unknown extension attributes and payload fields, and drops them', () => {
    const event = {
      ...pledge(),
      traceparent: '00-abc-def-01',
      data: { ...pledge().data, later: 1 },
    };
    const result = parse(TOPICS.pledges, JSON.stringify(event));
    expect(result.ok).toBe(true);
    expect(result.ok && result.event).toEqual(pledge());
  });

  it('rejects non-JSON bytes, invalid UTF-8, an empty value and a JSON array as the value', () => {
    for (const value of [Buffer.from('not json {'), Buffer.from([0xff, 0xfe, 0x7b]), null, '[]']) {
      const result = parse(TOPICS.pledges, value);
      expect(paths(result)).toEqual(['value']);
    }
  });

  it('rejects a type that its topic does not carry, listing the allowed ones', () => {
    const result = parse(TOPICS.shipments, bytes(pledge()));
    expect(paths(result)).toEqual(['type']);
    expect(!result.ok && result.error.message).toContain('tracker.shipment.dispatched.v1');
  });

  it('still reports envelope violations when the type is unknown', () => {
    const result = parse(
      TOPICS.pledges,
      bytes({ ...pledge(), type: 'tracker.pledge.x.v1', time: 'yesterday' }),
    );
    expect(paths(result)).toEqual(['type', 'time']);
  });

  it('rejects an unknown topic and reads nothing from the dead-letter topic', () => {
    expect(paths(parse('tracker.pledges.v2', bytes(pledge())))).toEqual(['topic']);
    expect(paths(parse(TOPICS.deadLetter, bytes(pledge())))).toEqual(['topic']);
  });

  it('rejects a Kafka key that differs from partitionkey, when a key is given', () => {
    expect(paths(parse(TOPICS.pledges, bytes(pledge()), undefined, 'another-key'))).toEqual([
      'key',
    ]);
    expect(parse(TOPICS.pledges, bytes(pledge()), undefined, null).ok).toBe(true);
  });

  it('checks content-type when headers are given, tolerating case and a charset parameter', () => {
    const value = bytes(pledge());
    expect(
      parse(TOPICS.pledges, value, {
        'Content-Type': Buffer.from('application/cloudevents+json; charset=UTF-8'),
      }).ok,
    ).toBe(true);
    expect(paths(parse(TOPICS.pledges, value, { 'content-type': 'application/json' }))).toEqual([
      'headers.content-type',
    ]);
    expect(paths(parse(TOPICS.pledges, value, {}))).toEqual(['headers.content-type']);
  });

  it('rejects a subject or partitionkey that does not follow from the payload', () => {
    const result = parse(TOPICS.pledges, bytes({ ...pledge(), subject: 'x', partitionkey: 'y' }));
    expect(paths(result)).toEqual(['subject', 'partitionkey']);
    expect(!result.ok && result.error.message).toContain('partitionkey must equal <data.pledgeId>');
  });

  it('accepts a dataschema of any http(s) location whose path ends in /<type>.json', () => {
    for (const dataschema of [
      'http://localhost:3000/schemas/tracker.pledge.announced.v1.json',
      'https://tracker.example/schemas/tracker.pledge.announced.v1.json',
      'https://gw.mod.example:8443/tracker/api/schemas/tracker.pledge.announced.v1.json?v=3',
      'http://10.0.0.7/tracker.pledge.announced.v1.json',
    ])
      expect(paths(parse(TOPICS.pledges, bytes({ ...pledge(), dataschema })))).toEqual([]);
  });

  it('accepts an event without dataschema, as producer systems send them', () => {
    const event = pledge();
    delete event.dataschema;
    const result = parse(TOPICS.pledges, bytes(event));
    expect(result.ok && result.event).toEqual(event);
  });

  it('rejects a dataschema that names another type or is not an absolute http(s) URI', () => {
    for (const dataschema of [
      'https://tracker.example/schemas/tracker.pledge.amended.v1.json',
      'http://localhost:3000/schemas/tracker.pledge.announced.v1.json#/properties',
      'http://localhost:3000/schemas/xtracker.pledge.announced.v1.json',
      'http://localhost:3000/schemas/tracker.pledge.announced.v1.json/other',
      'ftp://localhost/schemas/tracker.pledge.announced.v1.json',
      '/schemas/tracker.pledge.announced.v1.json',
      'http:///tracker.pledge.announced.v1.json',
    ])
      expect(paths(parse(TOPICS.pledges, bytes({ ...pledge(), dataschema })))).toEqual([
        'dataschema',
      ]);
  });

  it('carries a target date written as a timestamp as its date part', () => {
    const result = parse(
      TOPICS.pledges,
      bytes(fixture('pledge.announced.target-date-as-timestamp')),
    );
    expect(result.ok && result.event.data).toMatchObject({ targetDate: '2024-03-31' });
  });

  it('names every violated field in a one-line message', () => {
    const event = pledge();
    delete event.id;
    event.data.quantity = -1;
    event.data.recipient = 'XX';
    const result = parse(TOPICS.pledges, bytes(event), { 'content-type': 'text/plain' });
    expect(paths(result)).toEqual([
      'headers.content-type',
      'id',
      'data.recipient',
      'data.quantity',
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).not.toContain('\n');
      expect(result.error.message).toMatch(
        /^contract violation on tracker\.pledges\.v1 \(tracker\.pledge\.announced\.v1\): /,
      );
      expect(result.error.violations).toContainEqual({
        path: 'data.quantity',
        rule: 'must be a non-negative integer',
      });
      expect(result.error.violations).toContainEqual({ path: 'id', rule: 'is required' });
    }
  });
});

describe('parseMessage', () => {
  it('checks the key and headers of a consumed message', () => {
    const value = bytes(pledge());
    expect(
      parseMessage(TOPICS.pledges, {
        key: Buffer.from(pledge().partitionkey as string),
        value,
        headers: cloudEventsHeaders,
      }).ok,
    ).toBe(true);
    expect(paths(parseMessage(TOPICS.pledges, { key: Buffer.from('other'), value }))).toEqual([
      'headers.content-type',
      'key',
    ]);
  });
});

describe('serialize', () => {
  it('keys the message by partitionkey and marks it as a structured CloudEvent', () => {
    const event = fixture('stockpile.level-reported.de-155mm') as unknown as TrackerEvent;
    const message = serialize(event);
    expect(message.key).toBe('DE:AMMO-155MM');
    expect(message.headers).toEqual({ 'content-type': 'application/cloudevents+json' });
    expect(JSON.parse(message.value.toString('utf8'))).toEqual(event);
  });

  it('refuses to write an event that breaks the contract', () => {
    const event = {
      ...pledge(),
      data: { ...pledge().data, quantity: 1.5 },
    } as unknown as TrackerEvent;
    expect(() => serialize(event)).toThrow(ContractViolationError);
    expect(() => serialize(event)).toThrow(/data\.quantity must be a non-negative integer/);
  });
});

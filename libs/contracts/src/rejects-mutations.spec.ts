import fc from 'fast-check';
import { parse, serialize } from './codec';
import { MAX_QUANTITY, MAX_VALUE_CENTS } from './common';
import { EVENT_TYPES, EventType, TrackerEvent } from './events';
import { COUNTRY_CODES } from './iso-3166';
import { eventOf, timestamp } from './testing/arbitraries';
import { EventField, eventFields } from './testing/event-fields';
import { createJsonSchemaValidator } from './testing/json-schema-validator';
import { TOPIC_REGISTRY, topicOf } from './topics';

type Json = Record<string, unknown>;

/** A broken event and the field its error must name. */
interface Mutant {
  readonly type: EventType;
  readonly event: Json;
  readonly path: string;
}

const validate = createJsonSchemaValidator();
const SCALARS = new Set(['integer', 'country', 'timestamp', 'date', 'id', 'string', 'enum']);

function locate(event: object, path: string): [Json, string] {
  const json = event as Json;
  const [head, field] = path.split('.');
  return field === undefined ? [json, head] : [json[head] as Json, field];
}

function withField(event: TrackerEvent, path: string, value: unknown): Json {
  const copy = structuredClone(event) as unknown as Json;
  const [owner, field] = locate(copy, path);
  owner[field] = value;
  return copy;
}

function withoutField(event: TrackerEvent, path: string): Json {
  const copy = structuredClone(event) as unknown as Json;
  const [owner, field] = locate(copy, path);
  delete owner[field];
  return copy;
}

/**
 * Events of any type that has a field matching `select`, with that field replaced by a value
 * from `breakValue` (or removed, when it returns `undefined`).
 */
function mutants(
  select: (field: EventField) => boolean,
  breakValue: (field: EventField, original: unknown) => fc.Arbitrary<unknown>,
): fc.Arbitrary<Mutant> {
  const eligible = EVENT_TYPES.filter((type) => eventFields(type).some(select));
  return fc.constantFrom(...eligible).chain((type) =>
    fc
      .tuple(eventOf(type), fc.constantFrom(...eventFields(type).filter(select)))
      .chain(([event, field]) => {
        const [owner, name] = locate(event, field.path);
        return breakValue(field, owner[name]).map((value) => ({
          type,
          path: field.path,
          event:
            value === undefined
              ? withoutField(event, field.path)
              : withField(event, field.path, value),
        }));
      }),
  );
}

function expectRejected({ type, event, path }: Mutant, byJsonSchema = true): void {
  const result = parse(topicOf(type), JSON.stringify(event));
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.violations.map((violation) => violation.path)).toContain(path);
    expect(result.error.message).toContain(path);
  }
  if (byJsonSchema) expect(validate(event)).toContain(path);
}

const integerFields = (field: EventField) => field.kind === 'integer';

describe('parse rejects broken events, naming the field', () => {
  it('a missing required field', () => {
    fc.assert(
      fc.property(
        mutants(
          (field) => field.required,
          () => fc.constant(undefined),
        ),
        (mutant) => expectRejected(mutant),
      ),
    );
  });

  it('a value of the wrong type', () => {
    const wrongValue = (field: EventField): fc.Arbitrary<unknown> =>
      field.kind === 'integer'
        ? fc.oneof(fc.nat().map(String), fc.boolean(), fc.constant(null))
        : fc.oneof(
            fc.integer(),
            fc.boolean(),
            fc.constant(null),
            ...(field.kind === 'array' || field.kind === 'object' ? [fc.string()] : []),
          );
    fc.assert(
      fc.property(
        mutants(() => true, wrongValue),
        (mutant) => expectRejected(mutant),
      ),
    );
  });

  it('a negative quantity', () => {
    fc.assert(
      fc.property(
        mutants(integerFields, () => fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 })),
        (mutant) => expectRejected(mutant),
      ),
    );
  });

  it('a quantity or an amount above its bound', () => {
    const bound = (path: string) => (path.endsWith('Cents') ? MAX_VALUE_CENTS : MAX_QUANTITY);
    fc.assert(
      fc.property(
        mutants(integerFields, (field) =>
          fc.integer({ min: bound(field.path) + 1, max: Number.MAX_SAFE_INTEGER }),
        ),
        (mutant) => expectRejected(mutant),
      ),
    );
  });

  it('a fractional quantity', () => {
    const fractional = fc
      .double({ min: -1e12, max: 1e12, noNaN: true })
      .filter((value) => !Number.isInteger(value));
    fc.assert(
      fc.property(
        mutants(integerFields, () => fractional),
        (mutant) => expectRejected(mutant),
      ),
    );
  });

  it('a country code that is not an assigned ISO 3166-1 alpha-2 code', () => {
    const assigned = new Set<string>(COUNTRY_CODES);
    const unassigned = fc.oneof(
      fc.constantFrom('UK', 'EU', 'XK', 'ZZ', 'de', 'ua', 'DEU', 'U', ''),
      fc
        .string({
          unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
          minLength: 2,
          maxLength: 2,
        })
        .filter((code) => !assigned.has(code)),
    );
    fc.assert(
      fc.property(
        mutants(
          (field) => field.kind === 'country',
          () => unassigned,
        ),
        (mutant) => expectRejected(mutant),
      ),
    );
  });

  it('a timestamp that is not RFC 3339 with offset', () => {
    const broken = timestamp().chain((valid) =>
      fc.constantFrom(
        valid.replace(/(Z|[+-]\d\d:\d\d)$/, ''),
        valid.replace('T', ' '),
        valid.slice(0, 10),
        valid.replace(/T\d\d/, 'T24'),
        valid.replace(/^(\d{4})-\d\d/, '$1-13'),
        valid.replace(/:\d\d(\.\d+)?(?=Z|[+-])/, ''),
        String(Date.parse(valid)),
      ),
    );
    fc.assert(
      fc.property(
        mutants(
          (field) => field.kind === 'timestamp',
          () => broken,
        ),
        (mutant) => expectRejected(mutant),
      ),
    );
  });

  it('an entity id with a character outside [A-Za-z0-9._:-], empty or over 64 characters', () => {
    const badId = (field: EventField, original: unknown) =>
      fc.oneof(
        fc.tuple(fc.constantFrom(' ', '/', '#', 'ü', '\t', '"'), fc.nat()).map(([bad, at]) => {
          const id = String(original);
          const cut = at % (id.length + 1);
          return `${id.slice(0, cut)}${bad}${id.slice(cut)}`;
        }),
        fc.constant(''),
        fc.integer({ min: 1, max: 100 }).map((extra) => 'A'.repeat((field.maxLength ?? 0) + extra)),
      );
    fc.assert(
      fc.property(
        mutants((field) => field.kind === 'id', badId),
        (mutant) => expectRejected(mutant),
      ),
    );
  });

  it('a dataschema that names another type', () => {
    const foreign = fc.constantFrom(...EVENT_TYPES).chain((type) =>
      fc
        .tuple(eventOf(type), fc.constantFrom(...EVENT_TYPES.filter((other) => other !== type)))
        .map(([event, other]) => ({
          type,
          path: 'dataschema',
          event: withField(event, 'dataschema', `http://localhost:3000/schemas/${other}.json`),
        })),
    );
    fc.assert(fc.property(foreign, (mutant) => expectRejected(mutant)));
  });

  it('a string over its length limit', () => {
    const bounded = (field: EventField) => field.kind === 'string' && field.maxLength !== undefined;
    const tooLong = (field: EventField) =>
      fc.integer({ min: 1, max: 100 }).map((extra) => 'A'.repeat((field.maxLength ?? 0) + extra));
    fc.assert(fc.property(mutants(bounded, tooLong), (mutant) => expectRejected(mutant)));
  });

  it('extra nesting: an object or array where a scalar is expected', () => {
    const nested = (_: EventField, original: unknown) =>
      fc.constantFrom({ value: original }, [original], {});
    fc.assert(
      fc.property(
        mutants((field) => SCALARS.has(field.kind), nested),
        (mutant) => expectRejected(mutant),
      ),
    );
  });

  it('a type its topic does not carry', () => {
    const misplaced = fc.constantFrom(...EVENT_TYPES).chain((type) => {
      const allowed: readonly string[] = TOPIC_REGISTRY[topicOf(type)].types;
      const foreign = fc.oneof(
        fc.constantFrom(...EVENT_TYPES.filter((other) => !allowed.includes(other))),
        fc.string({ maxLength: 60 }).filter((other) => !allowed.includes(other)),
      );
      return fc
        .tuple(eventOf(type), foreign)
        .map(([event, other]) => ({ type, path: 'type', event: withField(event, 'type', other) }));
    });
    fc.assert(fc.property(misplaced, (mutant) => expectRejected(mutant, false)));
  });

  it('bytes that are not JSON', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const isJson = (bytes: Uint8Array) => {
      try {
        JSON.parse(decoder.decode(bytes));
        return true;
      } catch {
        return false;
      }
    };
    const truncated = fc
      .constantFrom(...EVENT_TYPES)
      .chain((type) => eventOf(type))
      .chain((event) => {
        const value = serialize(event).value;
        return fc
          .integer({ min: 0, max: value.length - 1 })
          .map((end) => ({ topic: topicOf(event.type), value: value.subarray(0, end) }));
      });
    const garbage = fc
      .uint8Array({ maxLength: 200 })
      .filter((bytes) => !isJson(bytes))
      .map((bytes) => ({
        topic: topicOf('tracker.pledge.announced.v1'),
        value: Buffer.from(bytes),
      }));
    fc.assert(
      fc.property(fc.oneof(truncated, garbage), ({ topic, value }) => {
        const result = parse(topic, value);
        expect(result.ok ? [] : result.error.violations.map((violation) => violation.path)).toEqual(
          ['value'],
        );
      }),
    );
  });
});

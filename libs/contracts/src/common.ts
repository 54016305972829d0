import { z } from 'zod';
import { COUNTRY_CODES } from './iso-3166';

/**
 * Field rules shared by every event family. Each rule carries one human-readable sentence that
 * ends up in a `ContractViolation` (`data.quantity must be a non-negative integer`), and the
 * reusable ones carry a JSON Schema `$defs` id so the exported documents name them.
 */

/** Limits of free-text fields, in UTF-16 code units (JavaScript string length). */
export const TEXT_LIMITS = {
  /** Names of places, facilities, carriers. */
  name: 120,
  /** External references (a contract or decision number). */
  reference: 120,
  /** Why something changed: amendment, cancellation, loss, QA hold, alert clearance. */
  reason: 500,
  /** A human-readable alert message. */
  message: 500,
  /** Links to a public source. */
  url: 2048,
} as const;

/** Longest item or programme code accepted. */
export const CODE_MAX_LENGTH = 40;

export const ITEM_CODE_PATTERN = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;
export const ORGANISATION_CODE_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Longest entity id accepted: pledge, capacity, lot, allocation and shipment ids. */
export const ENTITY_ID_MAX_LENGTH = 64;
/**
 * Characters of an entity id (with a length of 1 to {@link ENTITY_ID_MAX_LENGTH}): letters,
 * digits, `.`, `_`, `:` and `-`. Ids are opaque and case-sensitive: producer systems keep their
 * own references (`RHM26C001-004`, `DE:2024:017`), services mint UUIDs.
 */
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
/** CloudEvents attribute values we accept: printable ASCII without spaces. */
export const ATTRIBUTE_PATTERN = /^[\x21-\x7E]+$/;

/** Zod error option that says "is required" for a missing field and `message` otherwise. */
export function rule(message: string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => (issue.input === undefined ? 'is required' : message) };
}

/** One of a fixed set of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, rule(`must be one of ${values.join(', ')}`));
}

/** A non-blank string of at most `max` characters. */
export function text(max: number) {
  const r = rule(`must be a non-blank string of at most ${max} characters`);
  return z.string(r).min(1, r).max(max, r).regex(/\S/, r);
}

/** A printable-ASCII CloudEvents attribute value of at most `max` characters. */
export function attribute(max: number) {
  const r = rule(`must be a non-empty string of at most ${max} printable ASCII characters`);
  return z.string(r).max(max, r).regex(ATTRIBUTE_PATTERN, r);
}

const countryRule = rule('must be an assigned ISO 3166-1 alpha-2 country code, e.g. DE or UA');
export const CountryCode = z.enum(COUNTRY_CODES, countryRule).meta({
  id: 'CountryCode',
  description: 'ISO 3166-1 alpha-2 code of an assigned country (GB, not UK).',
});
export type CountryCode = z.infer<typeof CountryCode>;

const itemRule = rule(
  `must be an upper-case item code like AMMO-155MM, at most ${CODE_MAX_LENGTH} characters`,
);
export const ItemCode = z
  .string(itemRule)
  .max(CODE_MAX_LENGTH, itemRule)
  .regex(ITEM_CODE_PATTERN, itemRule)
  .meta({ id: 'ItemCode', description: 'Catalogue item code, e.g. AMMO-155MM, SAM-IRIS-T.' });

const programmeRule = rule(
  `must be an upper-case programme code like EU-1M-SHELLS, at most ${CODE_MAX_LENGTH} characters`,
);
export const ProgrammeCode = z
  .string(programmeRule)
  .max(CODE_MAX_LENGTH, programmeRule)
  .regex(ITEM_CODE_PATTERN, programmeRule)
  .meta({ id: 'ProgrammeCode', description: 'Aid programme, e.g. EU-1M-SHELLS.' });

const organisationRule = rule(
  `must be a lower-case organisation code like rheinmetall, at most ${CODE_MAX_LENGTH} characters`,
);
export const OrganisationCode = z
  .string(organisationRule)
  .max(CODE_MAX_LENGTH, organisationRule)
  .regex(ORGANISATION_CODE_PATTERN, organisationRule)
  .meta({
    id: 'OrganisationCode',
    description: 'Organisation code as used in `producer:<org>` roles, e.g. rheinmetall.',
  });

/**
 * Largest quantity one event may carry (a pledge, lot, allocation, shipment, receipt, loss,
 * stockpile level or monthly capacity): 10^9 units. The largest real figures are six or seven
 * digits (the EU's million shells); the bound leaves three orders of magnitude of headroom while
 * keeping every sum the services and the projection keep exact: a Postgres `bigint` holds 9.2
 * billion events at the bound, a JavaScript number 9,007,199 (2^53 − 1 ÷ 10^9).
 */
export const MAX_QUANTITY = 1_000_000_000;
/**
 * Largest amount of money one event may carry, in euro cents: 10^13 (€100 billion), more than
 * any single aid package announced so far. Sums of it stay exact in a JavaScript number for at
 * least 900 events at the bound.
 */
export const MAX_VALUE_CENTS = 10_000_000_000_000;

/** The rule a value above `max` breaks: "must be at most 1000000000". */
export const atMostRule = (max: number) => `must be at most ${max}`;

const quantityRule = rule('must be a non-negative integer');
export const Quantity = z
  .int(quantityRule)
  .min(0, quantityRule)
  .max(MAX_QUANTITY, rule(atMostRule(MAX_QUANTITY)))
  .meta({
    id: 'Quantity',
    description: `Non-negative integer in the item's unit, at most ${MAX_QUANTITY}.`,
  });

const positiveRule = rule('must be a positive integer');
/** A quantity of at least 1 (what HTTP write routes require), at most {@link MAX_QUANTITY}. */
export const PositiveQuantity = z
  .int(positiveRule)
  .min(1, positiveRule)
  .max(MAX_QUANTITY, rule(atMostRule(MAX_QUANTITY)));

const centsRule = rule('must be a non-negative integer number of euro cents');
export const EuroCents = z
  .int(centsRule)
  .min(0, centsRule)
  .max(MAX_VALUE_CENTS, rule(atMostRule(MAX_VALUE_CENTS)))
  .meta({
    id: 'EuroCents',
    description: `Money as an integer number of euro cents, at most ${MAX_VALUE_CENTS} (€100 billion).`,
  });

const timestampRule = rule(
  'must be an RFC 3339 timestamp with seconds and a UTC offset, e.g. 2024-03-20T12:00:00Z',
);
export const Timestamp = z.iso
  .datetime({ offset: true, ...timestampRule })
  .max(35, timestampRule)
  .meta({ id: 'Timestamp', description: 'RFC 3339 date-time with offset (Z or ±hh:mm).' });

const calendarDateRule = rule(
  'must be a calendar date YYYY-MM-DD or an RFC 3339 timestamp, e.g. 2024-03-31',
);
/**
 * A calendar date: accepts `YYYY-MM-DD` or an RFC 3339 timestamp and carries `YYYY-MM-DD`. A
 * timestamp keeps the date part as written, without converting to UTC: a producer that writes
 * `2024-03-31T23:00:00-05:00` means 31 March on its own calendar, and converting would move the
 * promise to 1 April.
 */
export const CalendarDate = z
  .union([z.iso.date(calendarDateRule), Timestamp], calendarDateRule)
  .transform((value) => value.slice(0, 10))
  .meta({
    id: 'CalendarDate',
    description:
      'RFC 3339 full-date (YYYY-MM-DD), or an RFC 3339 date-time whose date part is kept as written.',
  });

/** A UUID: the ids the tracker mints itself (alerts). */
export const Uuid = z
  .uuid(rule('must be a UUID'))
  .meta({ id: 'Uuid', description: 'RFC 9562 UUID.' });

const entityIdRule = rule(
  `must be an id of 1 to ${ENTITY_ID_MAX_LENGTH} characters: letters, digits, '.', '_', ':' or '-'`,
);
/** The id of a pledge, capacity declaration, lot, allocation or shipment; opaque to readers. */
export const EntityId = z
  .string(entityIdRule)
  .min(1, entityIdRule)
  .max(ENTITY_ID_MAX_LENGTH, entityIdRule)
  .regex(ENTITY_ID_PATTERN, entityIdRule)
  .meta({
    id: 'EntityId',
    description: `Opaque, case-sensitive id of 1 to ${ENTITY_ID_MAX_LENGTH} characters [A-Za-z0-9._:-], chosen by the system that created the entity.`,
  });

const urlRule = rule(`must be an http(s) URL of at most ${TEXT_LIMITS.url} characters`);
export const HttpUrl = z
  .url({ protocol: /^https?$/, ...urlRule })
  .max(TEXT_LIMITS.url, urlRule)
  .regex(/^https?:\/\//, urlRule)
  .meta({ id: 'HttpUrl', description: 'Absolute http or https URL.' });

/** An event payload: a JSON object whose unknown fields are ignored (stripped) when parsed. */
export function payload<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape, rule('must be a JSON object'));
}

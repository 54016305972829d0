// fast-check arbitraries of valid payloads and events, for property tests in any package.
// Test-only: imports fast-check (a devDependency), so index.ts does not re-export it.
import fc from 'fast-check';
import { ALERT_ENTITY_TYPES, ALERT_KINDS, ALERT_SEVERITIES, MAX_ALERT_DETAILS } from '../alert.v1';
import { buildEvent } from '../build-event';
import {
  CODE_MAX_LENGTH,
  ENTITY_ID_MAX_LENGTH,
  MAX_QUANTITY,
  MAX_VALUE_CENTS,
  TEXT_LIMITS,
} from '../common';
import { EVENT_TYPES, EventOf, EventType, PayloadOf, TrackerEvent } from '../events';
import { COUNTRY_CODES } from '../iso-3166';
import { PLEDGE_CONFIDENCES, PLEDGE_PURPOSES, PLEDGE_SOURCINGS } from '../pledge.v1';
import { CAPACITY_BASES, QA_STATUSES } from '../production.v1';
import { MAX_LOTS_PER_SHIPMENT, MILESTONE_STATUSES, REJECTION_REASONS } from '../shipment.v1';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const DIGITS = '0123456789'.split('');
const MONTH_LETTERS = 'ABCDEFGHJKLM'.split('');
const ID_CHARS = [...UPPER, ...'abcdefghijklmnopqrstuvwxyz._:-'.split('')];

const chars = (alphabet: string[], minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

const slug = (alphabet: string[]) =>
  fc
    .array(chars(alphabet, 1, 8), { minLength: 1, maxLength: 4 })
    .map((segments) => segments.join('-'))
    .filter((code) => code.length <= CODE_MAX_LENGTH);

export const uuid = () => fc.uuid();
export const countryCode = () => fc.constantFrom(...COUNTRY_CODES);
export const itemCode = () =>
  fc.oneof(fc.constantFrom('AMMO-155MM', 'AMMO-152MM', 'SAM-IRIS-T', 'IFV', 'MBT'), slug(UPPER));
export const programmeCode = () =>
  fc.oneof(fc.constantFrom('EU-1M-SHELLS', 'CZ-AMMO-INITIATIVE'), slug(UPPER));
export const organisationCode = () =>
  fc.oneof(fc.constantFrom('rheinmetall', 'bae-systems', 'knds-france', 'nammo'), slug(LOWER));
export const quantity = () =>
  fc.oneof(fc.nat({ max: 1_000_000 }), fc.nat({ max: MAX_QUANTITY }), fc.constant(MAX_QUANTITY));
export const euroCents = () =>
  fc.oneof(fc.nat({ max: MAX_VALUE_CENTS }), fc.constant(MAX_VALUE_CENTS));

/** A non-blank string within `max` UTF-16 code units, ASCII or any Unicode. */
export const text = (max: number) =>
  fc
    .oneof(
      fc.string({ minLength: 1, maxLength: max }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.floor(max / 8) }),
    )
    .filter((value) => value.length <= max && /\S/.test(value));

const instant = () =>
  fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2099-12-31T23:59:59Z'),
    noInvalidDate: true,
  });

/** RFC 3339 timestamps with `Z` or a numeric offset, with or without fractional seconds. */
export const timestamp = () =>
  fc
    .record({
      at: instant(),
      offset: fc.constantFrom('Z', '+01:00', '+02:00', '-05:00', '+05:30', '+14:00'),
      fraction: fc.constantFrom('', '.5', '.123', '.123456789'),
    })
    .map(({ at, offset, fraction }) => `${at.toISOString().slice(0, 19)}${fraction}${offset}`);

export const calendarDate = () => instant().map((at) => at.toISOString().slice(0, 10));

/** MIL-STD-1168 style lot numbers, 13 to 16 characters. */
export const lotNumber = () =>
  fc
    .tuple(
      chars(UPPER, 3, 4),
      chars(DIGITS, 2, 2),
      fc.constantFrom(...MONTH_LETTERS),
      chars(DIGITS, 3, 3),
      chars(DIGITS, 3, 3),
      chars(UPPER, 0, 2),
    )
    .map(
      ([maker, year, month, interfix, sequence, suffix]) =>
        `${maker}${year}${month}${interfix}-${sequence}${suffix}`,
    );

/**
 * Entity ids as producers and services choose them: UUIDs, lot numbers and any other opaque
 * reference of 1 to 64 characters `[A-Za-z0-9._:-]`.
 */
export const entityId = () =>
  fc.oneof(uuid(), lotNumber(), chars(ID_CHARS, 1, ENTITY_ID_MAX_LENGTH));

export const httpUrl = () =>
  fc
    .tuple(
      fc.constantFrom('http', 'https'),
      fc.domain(),
      fc.array(chars(LOWER, 1, 12), { maxLength: 4 }),
    )
    .map(([scheme, host, path]) => `${scheme}://${host}/${path.join('/')}`);

/** Printable ASCII without spaces, as CloudEvents attributes and entity ids are. */
export const attribute = (max: number) =>
  fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
    minLength: 1,
    maxLength: max,
  });

const detailValue = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Object.is(value, -0)),
  fc.boolean(),
);
export const alertDetails = () =>
  fc.dictionary(
    fc
      .tuple(
        chars('abcdefghijklmnopqrstuvwxyz'.split(''), 1, 1),
        chars([...UPPER, ...LOWER], 0, 30),
      )
      .map(([head, tail]) => head + tail),
    detailValue,
    { maxKeys: MAX_ALERT_DETAILS },
  );

/** A record whose `optional` fields are sometimes absent (never present as `undefined`). */
function withOptional<R extends object, O extends object>(
  required: { [K in keyof R]: fc.Arbitrary<R[K]> },
  optional: { [K in keyof O]: fc.Arbitrary<O[K]> },
): fc.Arbitrary<R & Partial<O>> {
  return fc
    .tuple(fc.record(required), fc.record(optional, { requiredKeys: [] }))
    .map(([present, maybe]) => ({ ...present, ...maybe }) as R & Partial<O>);
}

const reason = () => text(TEXT_LIMITS.reason);
const name = () => text(TEXT_LIMITS.name);

/** Valid payloads of every event type. */
export const payloadArbitraries: { [T in EventType]: fc.Arbitrary<PayloadOf<T>> } = {
  'tracker.pledge.announced.v1': withOptional(
    {
      pledgeId: entityId(),
      donor: countryCode(),
      recipient: countryCode(),
      itemCode: itemCode(),
      quantity: quantity(),
      announcedAt: timestamp(),
      purpose: fc.constantFrom(...PLEDGE_PURPOSES),
      sourcing: fc.constantFrom(...PLEDGE_SOURCINGS),
      confidence: fc.constantFrom(...PLEDGE_CONFIDENCES),
    },
    {
      valueCents: euroCents(),
      targetDate: calendarDate(),
      programme: programmeCode(),
      sourceUrl: httpUrl(),
      reference: text(TEXT_LIMITS.reference),
    },
  ),
  'tracker.pledge.amended.v1': withOptional(
    { pledgeId: entityId(), reason: reason() },
    { quantity: quantity(), targetDate: calendarDate() },
  ),
  'tracker.pledge.cancelled.v1': fc.record({ pledgeId: entityId(), reason: reason() }),
  'tracker.programme.declared.v1': withOptional(
    {
      programmeId: programmeCode(),
      name: name(),
      itemCode: itemCode(),
      targetQuantity: quantity().map((q) => Math.max(1, q)),
      deadline: calendarDate(),
    },
    { sourceUrl: httpUrl() },
  ),
  'tracker.production.capacity-declared.v1': fc.record({
    capacityId: entityId(),
    manufacturer: organisationCode(),
    facility: name(),
    country: countryCode(),
    itemCode: itemCode(),
    unitsPerMonth: quantity(),
    effectiveFrom: calendarDate(),
    basis: fc.constantFrom(...CAPACITY_BASES),
  }),
  'tracker.production.lot-completed.v1': fc.record({
    lotId: entityId(),
    manufacturer: organisationCode(),
    facility: name(),
    itemCode: itemCode(),
    quantity: quantity(),
    completedAt: timestamp(),
    qaStatus: fc.constantFrom(...QA_STATUSES),
  }),
  'tracker.production.lot-qa-changed.v1': withOptional(
    { lotId: entityId(), qaStatus: fc.constantFrom(...QA_STATUSES) },
    { reason: reason() },
  ),
  'tracker.production.allocated.v1': fc.record({
    allocationId: entityId(),
    lotId: entityId(),
    pledgeId: entityId(),
    quantity: quantity(),
  }),
  'tracker.shipment.dispatched.v1': withOptional(
    {
      shipmentId: entityId(),
      pledgeId: entityId(),
      itemCode: itemCode(),
      quantity: quantity(),
      origin: name(),
      destination: name(),
      dispatchedAt: timestamp(),
    },
    {
      eta: timestamp(),
      lotIds: fc.array(entityId(), { minLength: 1, maxLength: MAX_LOTS_PER_SHIPMENT }),
      carrier: name(),
    },
  ),
  'tracker.shipment.milestone.v1': withOptional(
    { shipmentId: entityId(), status: fc.constantFrom(...MILESTONE_STATUSES), at: timestamp() },
    { location: name(), eta: timestamp() },
  ),
  'tracker.shipment.delivered.v1': withOptional(
    {
      shipmentId: entityId(),
      receivedQuantity: quantity(),
      acceptedQuantity: quantity(),
      receivedAt: timestamp(),
    },
    { rejectedQuantity: quantity(), rejectionReason: fc.constantFrom(...REJECTION_REASONS) },
  ),
  'tracker.shipment.delivery-corrected.v1': withOptional(
    {
      shipmentId: entityId(),
      receivedQuantity: quantity(),
      acceptedQuantity: quantity(),
      reason: reason(),
      correctedAt: timestamp(),
    },
    {
      rejectedQuantity: quantity(),
      rejectionReason: fc.constantFrom(...REJECTION_REASONS),
      reportedBy: fc.constantFrom('admin', 'recipient:UA'),
    },
  ),
  'tracker.shipment.lost.v1': fc.record({
    shipmentId: entityId(),
    quantity: quantity(),
    reason: reason(),
  }),
  'tracker.stockpile.level-reported.v1': withOptional(
    { nation: countryCode(), itemCode: itemCode(), quantity: quantity(), at: timestamp() },
    { minimumRequired: quantity() },
  ),
  'tracker.alert.raised.v1': withOptional(
    {
      alertId: uuid(),
      kind: fc.constantFrom(...ALERT_KINDS),
      severity: fc.constantFrom(...ALERT_SEVERITIES),
      entityType: fc.constantFrom(...ALERT_ENTITY_TYPES),
      entityId: attribute(128),
      message: text(TEXT_LIMITS.message),
      raisedAt: timestamp(),
    },
    { details: alertDetails() },
  ),
  'tracker.alert.cleared.v1': fc.record({
    alertId: uuid(),
    clearedAt: timestamp(),
    reason: reason(),
  }),
};

const source = () =>
  fc.oneof(
    fc.constantFrom('/pledge-service', '/production-service', '/shipment-service'),
    organisationCode().map((org) => `/producers/${org}`),
  );

/** Where a deployment serves the schemas: `buildEvent`'s default or any http(s) folder. */
const schemaBaseUri = () =>
  fc.option(
    httpUrl().map((url) => (url.endsWith('/') ? url : `${url}/`)),
    { nil: undefined },
  );

/** Valid events of one type, built through `buildEvent`. */
export function eventOf<T extends EventType>(type: T): fc.Arbitrary<EventOf<T>> {
  const data = payloadArbitraries[type] as fc.Arbitrary<PayloadOf<T>>;
  return fc
    .tuple(data, source(), fc.oneof(uuid(), attribute(128)), timestamp(), schemaBaseUri())
    .map(([payload, from, id, time, base]) =>
      buildEvent(type, payload, { source: from, id, time, schemaBaseUri: base }),
    );
}

/** Valid events of any type. */
export function anyEvent(): fc.Arbitrary<TrackerEvent> {
  return fc
    .constantFrom(...EVENT_TYPES)
    .chain((type) => eventOf(type) as fc.Arbitrary<TrackerEvent>);
}

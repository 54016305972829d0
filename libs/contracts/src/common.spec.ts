import fc from 'fast-check';
import {
  CalendarDate,
  CountryCode,
  ENTITY_ID_MAX_LENGTH,
  EntityId,
  EuroCents,
  ItemCode,
  MAX_QUANTITY,
  MAX_VALUE_CENTS,
  Quantity,
  Timestamp,
} from './common';
import { COUNTRY_CODES } from './iso-3166';
import { parseLotNumber } from './lot-number';
import { timestamp } from './testing/arbitraries';

const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('shared field rules', () => {
  it('accept exactly the 249 assigned ISO 3166-1 alpha-2 countries', () => {
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    for (const code of ['DE', 'UA', 'PL', 'GB', 'CZ', 'LT', 'NO', 'FI', 'US'])
      expect(accepts(CountryCode, code)).toBe(true);
    for (const code of ['UK', 'EU', 'XK', 'ZZ', 'de', 'DEU', ''])
      expect(accepts(CountryCode, code)).toBe(false);
  });

  it('accept catalogue item codes and refuse other spellings or overlong codes', () => {
    for (const code of ['AMMO-155MM', 'AMMO-120MM-MORTAR', 'SAM-PATRIOT-PAC3', 'IFV', 'MBT'])
      expect(accepts(ItemCode, code)).toBe(true);
    for (const code of ['ammo-155mm', 'AMMO--155MM', '-IFV', 'IFV-', 'AMMO 155', 'A'.repeat(41)])
      expect(accepts(ItemCode, code)).toBe(false);
    expect(accepts(ItemCode, 'A'.repeat(40))).toBe(true);
  });

  it('accept opaque, case-sensitive entity ids of 1 to 64 characters [A-Za-z0-9._:-]', () => {
    for (const id of [
      '0186fee3-fe00-7129-af1e-7e2b08aa9c2e',
      'RHM26C001-004',
      'RHM-2026-4',
      'DE:2024:017',
      'pledge_42.v2',
      'x',
      'A'.repeat(ENTITY_ID_MAX_LENGTH),
    ])
      expect(accepts(EntityId, id)).toBe(true);
    for (const id of [
      '',
      'DE 2024',
      'lot/5',
      'Unterlüß-1',
      'a#b',
      'A'.repeat(ENTITY_ID_MAX_LENGTH + 1),
    ])
      expect(accepts(EntityId, id)).toBe(false);
    expect(EntityId.parse('Lot-a')).not.toBe(EntityId.parse('LOT-A'));
  });

  it('read MIL-STD-1168 style lot numbers and leave other lot ids alone', () => {
    expect(parseLotNumber('RHM26C001-004')).toEqual({
      manufacturerCode: 'RHM',
      year: 2026,
      month: 3,
    });
    expect(parseLotNumber('NAMO25M100-999')).toEqual({
      manufacturerCode: 'NAMO',
      year: 2025,
      month: 12,
    });
    expect(parseLotNumber('BAES24J001-001XY')).toEqual({
      manufacturerCode: 'BAES',
      year: 2024,
      month: 9,
    });
    expect(parseLotNumber('CSG00A012-001')).toEqual({
      manufacturerCode: 'CSG',
      year: 2000,
      month: 1,
    });
    for (const lot of [
      'RHM26I001-004',
      'RHM26C001004',
      'RH26C001-004',
      'rhm26c001-004',
      'BAES25A001-001XYZ',
      'RHM-2026-4',
    ])
      expect(parseLotNumber(lot)).toBeUndefined();
  });

  it('carry calendar dates as YYYY-MM-DD, taking the date part of a timestamp as written', () => {
    expect(CalendarDate.parse('2024-03-31')).toBe('2024-03-31');
    expect(CalendarDate.parse('2024-03-31T23:00:00-05:00')).toBe('2024-03-31');
    expect(CalendarDate.parse('2024-04-01T00:30:00+02:00')).toBe('2024-04-01');
    fc.assert(
      fc.property(timestamp(), (value) => {
        expect(CalendarDate.parse(value)).toBe(value.slice(0, 10));
      }),
    );
    for (const value of [
      '2024-02-30',
      '2024-03-31T24:00:00Z',
      '2024-03-31T12:00:00',
      '31.03.2024',
      20240331,
    ])
      expect(accepts(CalendarDate, value)).toBe(false);
  });

  it('accept non-negative integers up to MAX_QUANTITY only as quantities', () => {
    for (const value of [0, 1, MAX_QUANTITY]) expect(accepts(Quantity, value)).toBe(true);
    for (const value of [-1, 0.5, MAX_QUANTITY + 1, 3_000_000_000, '5', null, Infinity])
      expect(accepts(Quantity, value)).toBe(false);
    expect(Quantity.safeParse(3_000_000_000).error?.issues.map((issue) => issue.message)).toEqual([
      'must be at most 1000000000',
    ]);
  });

  it('accept euro cents up to MAX_VALUE_CENTS (€100 billion)', () => {
    expect(MAX_VALUE_CENTS).toBe(10_000_000_000_000);
    for (const value of [0, MAX_VALUE_CENTS]) expect(accepts(EuroCents, value)).toBe(true);
    for (const value of [-1, MAX_VALUE_CENTS + 1, Number.MAX_SAFE_INTEGER])
      expect(accepts(EuroCents, value)).toBe(false);
    expect(EuroCents.safeParse(MAX_VALUE_CENTS + 1).error?.issues[0].message).toBe(
      'must be at most 10000000000000',
    );
  });

  it('keep every sum of quantities at the bound exact well past any real volume', () => {
    // 9,007,199 events at the bound still sum to a safe integer.
    expect(Number.isSafeInteger(9_007_199 * MAX_QUANTITY)).toBe(true);
    expect(Number.isSafeInteger(900 * MAX_VALUE_CENTS)).toBe(true);
  });

  it('accept RFC 3339 timestamps with seconds and an offset', () => {
    for (const value of [
      '2024-02-29T23:59:59Z',
      '2026-03-18T16:00:00.123+01:00',
      '2024-01-01T00:00:00-05:30',
    ])
      expect(accepts(Timestamp, value)).toBe(true);
    for (const value of [
      '2023-02-29T00:00:00Z',
      '2024-01-01T00:00:00',
      '2024-01-01T00:00Z',
      '2024-01-01',
      '1704067200',
      `2024-01-01T00:00:00.${'1'.repeat(30)}Z`,
    ]) {
      expect(accepts(Timestamp, value)).toBe(false);
    }
  });
});

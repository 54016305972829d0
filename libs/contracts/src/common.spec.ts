import { CountryCode, ItemCode, LotNumber, Quantity, Timestamp } from './common';
import { COUNTRY_CODES } from './iso-3166';

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

  it('accept MIL-STD-1168 style lot numbers of 13 to 16 characters', () => {
    for (const lot of ['RHM26C001-004', 'CSG24F012-001', 'NAMO25M100-999', 'BAES25A001-001XY'])
      expect(accepts(LotNumber, lot)).toBe(true);
    for (const lot of [
      'RHM26I001-004',
      'RHM26C001004',
      'RH26C001-004',
      'rhm26c001-004',
      'BAES25A001-001XYZ',
    ])
      expect(accepts(LotNumber, lot)).toBe(false);
  });

  it('accept non-negative safe integers only as quantities', () => {
    for (const value of [0, 1, Number.MAX_SAFE_INTEGER])
      expect(accepts(Quantity, value)).toBe(true);
    for (const value of [-1, 0.5, Number.MAX_SAFE_INTEGER + 1, '5', null, Infinity])
      expect(accepts(Quantity, value)).toBe(false);
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

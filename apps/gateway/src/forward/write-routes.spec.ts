import { ownerOf } from './write-routes';

describe(ownerOf.name, () => {
  it.each([
    ['/v1/shipments', 'shipment-service'],
    ['/v1/pledges/P-1/cancel', 'pledge-service'],
    ['/v1/lots/L-1/qa', 'production-service'],
    ['/epcis/capture', 'shipment-service'],
    ['/epcis/capture/0192f0c8-7e4a-7c3e-9f3a-0c1d2e3f4a5b', 'shipment-service'],
  ])('forwards %s to %s', (path, owner) => {
    expect(ownerOf(path)).toBe(owner);
  });

  it.each(['/v1/pledges/P-1/live', '/v1/overview', '/epcisx', '/docs'])(
    "keeps %s for the gateway's own routes",
    (path) => {
      expect(ownerOf(path)).toBeUndefined();
    },
  );

  it("keeps the gateway's own reads of a pledge: its live value and its history", () => {
    for (const path of [
      '/v1/pledges/p-1/live',
      '/v1/pledges/p-1/history',
      '/v1/pledges/p-1/history/',
      '/v1/pledges/p-1/history?x=1',
    ]) {
      expect([path, ownerOf(path)]).toEqual([path, undefined]);
    }
  });

  it('forwards the rest under /v1/pledges and /v1/shipments, receipt corrections included', () => {
    expect(ownerOf('/v1/pledges/p-1')).toBe('pledge-service');
    expect(ownerOf('/v1/pledges/p-1/cancel')).toBe('pledge-service');
    expect(ownerOf('/v1/pledges/history')).toBe('pledge-service');
    expect(ownerOf('/v1/shipments/s-1/delivery/corrections')).toBe('shipment-service');
  });

  it('leaves the exports to the gateway', () => {
    expect(ownerOf('/v1/export/kiel.csv')).toBeUndefined();
  });
});

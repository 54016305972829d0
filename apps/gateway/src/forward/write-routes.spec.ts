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
});

import { maySee, Viewer } from '@tracker/access';
import { shipmentFact } from './shipment.read-scope';

const viewers: Record<string, Viewer> = {
  rheinmetall: { kind: 'producer', org: 'rheinmetall' },
  nammo: { kind: 'producer', org: 'nammo' },
  germany: { kind: 'donor', country: 'DE' },
  ukraine: { kind: 'recipient', country: 'UA' },
};

const seers = (fact: ReturnType<typeof shipmentFact>) =>
  Object.keys(viewers).filter((name) => maySee(viewers[name], fact));

describe(shipmentFact.name, () => {
  it("belongs to its sending producer and its pledge's donor and recipient", () => {
    const fact = shipmentFact({ producer: 'rheinmetall', donor: 'DE' }, { recipient: 'UA' });
    expect(seers(fact)).toEqual(['rheinmetall', 'germany', 'ukraine']);
  });

  it('belongs to no producer when the donor ships from its stocks', () => {
    const fact = shipmentFact({ producer: null, donor: 'DE' }, { recipient: 'UA' });
    expect(seers(fact)).toEqual(['germany', 'ukraine']);
  });

  it('grants nothing for a recipient or donor the views do not know', () => {
    expect(seers(shipmentFact({ producer: 'nammo', donor: null }, undefined))).toEqual(['nammo']);
    expect(seers(shipmentFact({ producer: null, donor: null }, { recipient: null }))).toEqual([]);
  });
});

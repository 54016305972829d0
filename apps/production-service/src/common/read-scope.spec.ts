import { maySee, Viewer } from '@tracker/access';
import {
  allocationFact,
  capacityFact,
  lotFact,
  pledgeAllocationsFact,
  stockpileFact,
} from './read-scope';

const viewers: Record<string, Viewer> = {
  ops: { kind: 'ops' },
  rheinmetall: { kind: 'producer', org: 'rheinmetall' },
  nammo: { kind: 'producer', org: 'nammo' },
  germany: { kind: 'donor', country: 'DE' },
  poland: { kind: 'donor', country: 'PL' },
  ukraine: { kind: 'recipient', country: 'UA' },
};

const seers = (fact: ReturnType<typeof lotFact>) =>
  Object.keys(viewers).filter((name) => maySee(viewers[name], fact));

describe('what each production fact is', () => {
  it('gives lots and capacity to their manufacturer only', () => {
    expect(seers(lotFact({ manufacturer: 'nammo' }))).toEqual(['ops', 'nammo']);
    expect(seers(capacityFact({ manufacturer: 'rheinmetall' }))).toEqual(['ops', 'rheinmetall']);
  });

  it("gives a stockpile to its nation's donor and recipient tokens", () => {
    expect(seers(stockpileFact({ nation: 'UA' }))).toEqual(['ops', 'ukraine']);
    expect(seers(stockpileFact({ nation: 'PL' }))).toEqual(['ops', 'poland']);
  });

  it("gives an allocation to the lot's producer and the pledge's donor and recipient", () => {
    const pledge = { donor: 'DE', recipient: 'UA' };
    expect(seers(allocationFact(pledge, { manufacturer: 'rheinmetall' }))).toEqual([
      'ops',
      'rheinmetall',
      'germany',
      'ukraine',
    ]);
  });

  it('grants nothing for a pledge or lot not known, or a recipient recorded before the view kept it', () => {
    expect(seers(allocationFact(undefined, undefined))).toEqual(['ops']);
    expect(seers(allocationFact({ donor: 'DE', recipient: null }, undefined))).toEqual([
      'ops',
      'germany',
    ]);
  });

  it("gives a pledge's allocations to every producer allocated to it", () => {
    const fact = pledgeAllocationsFact({ donor: 'PL', recipient: 'UA' }, ['nammo', 'rheinmetall']);
    expect(seers(fact)).toEqual(['ops', 'rheinmetall', 'nammo', 'poland', 'ukraine']);
  });
});

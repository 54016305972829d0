import { Forbidden } from '@tracker/errors';
import { checkNationScope, checkProducerScope } from './caller-scope';

describe(checkProducerScope.name, () => {
  it("lets admins and the manufacturer's own producer write", () => {
    expect(() => checkProducerScope({ kind: 'admin' }, 'rheinmetall', 'lots')).not.toThrow();
    expect(() =>
      checkProducerScope({ kind: 'producer', org: 'rheinmetall' }, 'rheinmetall', 'lots'),
    ).not.toThrow();
  });

  it('refuses another organisation, naming both', () => {
    expect(() =>
      checkProducerScope({ kind: 'producer', org: 'nammo' }, 'rheinmetall', 'lots'),
    ).toThrow(new Forbidden('A producer:nammo token cannot write lots of rheinmetall'));
  });
});

describe(checkNationScope.name, () => {
  it("lets admins and the nation's own donor or recipient token report", () => {
    expect(() => checkNationScope({ kind: 'admin' }, 'DE')).not.toThrow();
    expect(() => checkNationScope({ kind: 'donor', country: 'DE' }, 'DE')).not.toThrow();
    expect(() => checkNationScope({ kind: 'recipient', country: 'UA' }, 'UA')).not.toThrow();
  });

  it('refuses another nation, ops and producers', () => {
    expect(() => checkNationScope({ kind: 'donor', country: 'PL' }, 'DE')).toThrow(Forbidden);
    expect(() => checkNationScope({ kind: 'recipient', country: 'UA' }, 'DE')).toThrow(Forbidden);
    expect(() => checkNationScope({ kind: 'ops' }, 'DE')).toThrow(Forbidden);
    expect(() => checkNationScope({ kind: 'producer', org: 'nammo' }, 'DE')).toThrow(Forbidden);
  });
});

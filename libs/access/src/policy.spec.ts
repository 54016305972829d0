import { Fact, maySee, operationalFact, PUBLIC_FACT, PUBLIC_VIEWER, Viewer } from './policy';

const VIEWERS: Record<string, Viewer> = {
  admin: { kind: 'admin' },
  ops: { kind: 'ops' },
  'donor:DE': { kind: 'donor', country: 'DE' },
  'donor:PL': { kind: 'donor', country: 'PL' },
  'producer:rheinmetall': { kind: 'producer', org: 'rheinmetall' },
  'producer:nammo': { kind: 'producer', org: 'nammo' },
  'recipient:UA': { kind: 'recipient', country: 'UA' },
  'recipient:DE': { kind: 'recipient', country: 'DE' },
  public: PUBLIC_VIEWER,
};
type ViewerName = keyof typeof VIEWERS;

/** The viewers that may see a fact; every other viewer of {@link VIEWERS} may not. */
const FACTS: [string, Fact, ViewerName[]][] = [
  ['a public fact', PUBLIC_FACT, Object.keys(VIEWERS)],
  [
    "a DE→UA pledge's operations sent by rheinmetall",
    operationalFact({ donor: 'DE', recipient: 'UA' }, ['rheinmetall']),
    ['admin', 'ops', 'donor:DE', 'producer:rheinmetall', 'recipient:UA'],
  ],
  [
    "a DE→UA pledge's operations with no sender yet",
    operationalFact({ donor: 'DE', recipient: 'UA' }),
    ['admin', 'ops', 'donor:DE', 'recipient:UA'],
  ],
  [
    'operations whose recipient is not known yet (null)',
    operationalFact({ donor: 'DE', recipient: null }, ['nammo']),
    ['admin', 'ops', 'donor:DE', 'producer:nammo'],
  ],
  ['operations whose parties are all unknown', operationalFact({}), ['admin', 'ops']],
  [
    'operations with null donor and recipient',
    operationalFact({ donor: null, recipient: null }, []),
    ['admin', 'ops'],
  ],
  [
    'operations without a producers list',
    { class: 'operational', donor: 'PL' },
    ['admin', 'ops', 'donor:PL'],
  ],
  [
    "Germany's stockpile",
    { class: 'national', nation: 'DE' },
    ['admin', 'ops', 'donor:DE', 'recipient:DE'],
  ],
  ["Ukraine's stockpile", { class: 'national', nation: 'UA' }, ['admin', 'ops', 'recipient:UA']],
  [
    "rheinmetall's lots and capacity",
    { class: 'commercial', producer: 'rheinmetall' },
    ['admin', 'ops', 'producer:rheinmetall'],
  ],
  ["a producer's fact of no producer", { class: 'commercial', producer: '' }, ['admin', 'ops']],
];

describe(maySee.name, () => {
  const cases = FACTS.flatMap(([what, fact, seers]) =>
    Object.keys(VIEWERS).map((viewer) => ({ what, fact, viewer, sees: seers.includes(viewer) })),
  );

  it.each(cases)('$viewer on $what: $sees', ({ fact, viewer, sees }) => {
    expect(maySee(VIEWERS[viewer], fact)).toBe(sees);
  });

  it('does not let a donor see operations because it is the recipient nation, or the reverse', () => {
    const fact = operationalFact({ donor: 'PL', recipient: 'DE' });
    expect(maySee(VIEWERS['donor:DE'], fact)).toBe(false);
    expect(maySee(VIEWERS['recipient:DE'], fact)).toBe(true);
  });
});

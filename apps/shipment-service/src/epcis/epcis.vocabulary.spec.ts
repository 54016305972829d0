import { cbvCode, epcClassMeaning } from './epcis.vocabulary';

describe(cbvCode.name, () => {
  it.each([
    ['bizStep', 'shipping', 'shipping'],
    ['bizStep', 'urn:epcglobal:cbv:bizstep:receiving', 'receiving'],
    ['bizStep', 'https://ref.gs1.org/cbv/BizStep-departing', 'departing'],
    ['bizStep', 'cbv:BizStep-arriving', 'arriving'],
    ['disposition', 'urn:epcglobal:cbv:disp:in_transit', 'in_transit'],
    ['disposition', 'https://ref.gs1.org/cbv/Disp-non_conformant', 'non_conformant'],
    ['bizTransactionType', 'urn:epcglobal:cbv:btt:desadv', 'desadv'],
    ['bizTransactionType', 'urn:tracker:btt:pledge', 'urn:tracker:btt:pledge'],
    ['sourceDestType', 'https://ref.gs1.org/cbv/SDT-owning_party', 'owning_party'],
  ] as const)('%s %s is %s', (vocabulary, value, code) => {
    expect(cbvCode(vocabulary, value)).toBe(code);
  });

  it("does not read one vocabulary's value as another's", () => {
    expect(cbvCode('disposition', 'urn:epcglobal:cbv:bizstep:shipping')).toBe(
      'urn:epcglobal:cbv:bizstep:shipping',
    );
  });
});

describe(epcClassMeaning.name, () => {
  it.each([
    ['urn:epc:class:lgtin:4012345.012345.RHM-24-A%2F7', { kind: 'lot', lotId: 'RHM-24-A/7' }],
    ['https://id.gs1.org/01/04012345123456/10/LOT-7', { kind: 'lot', lotId: 'LOT-7' }],
    ['urn:tracker:lot:NAM-2024-0001', { kind: 'lot', lotId: 'NAM-2024-0001' }],
    ['urn:tracker:item:SAM-IRIS-T', { kind: 'item', itemCode: 'SAM-IRIS-T' }],
    ['urn:epc:idpat:sgtin:4012345.012345.*', { kind: 'other' }],
  ])('%s', (epcClass, meaning) => {
    expect(epcClassMeaning(epcClass)).toEqual(meaning);
  });
});

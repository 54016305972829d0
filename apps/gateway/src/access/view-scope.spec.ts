import { viewScopeOf } from './view-scope';

describe(viewScopeOf.name, () => {
  it('gives admin and ops the full view', () => {
    expect(viewScopeOf({ kind: 'admin' })).toEqual({
      role: 'admin',
      view: 'full',
      description: 'Admin: everything',
    });
    expect(viewScopeOf({ kind: 'ops' })).toMatchObject({ role: 'ops', view: 'full' });
  });

  it('gives every party its own view, in a sentence naming it', () => {
    expect(viewScopeOf({ kind: 'donor', country: 'DE' })).toEqual({
      role: 'donor:DE',
      view: 'own',
      description:
        "Donor DE: your pledges and their operations in full; everyone else's public picture",
    });
    const recipient = viewScopeOf({ kind: 'recipient', country: 'UA' });
    expect(recipient).toMatchObject({ role: 'recipient:UA', view: 'own' });
    expect(recipient.description).toMatch(/^Recipient UA: the pledges to you/);
    const producer = viewScopeOf({ kind: 'producer', org: 'rheinmetall' });
    expect(producer).toMatchObject({ role: 'producer:rheinmetall', view: 'own' });
    expect(producer.description).toMatch(/^Producer rheinmetall: /);
  });
});

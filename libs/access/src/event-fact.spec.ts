import type { TrackerEvent } from '@tracker/contracts';
import { alertFact, eventFact, PartiesKnown, producerOf } from './event-fact';
import { maySee, Viewer } from './policy';

const event = (type: string, data: Record<string, unknown>) =>
  ({ type, data }) as unknown as TrackerEvent;

const known: PartiesKnown = {
  pledge: (id) => (id === 'P-1' ? { donor: 'DE', recipient: 'UA' } : undefined),
  lotProducer: (id) => (id === 'L-1' ? 'rheinmetall' : undefined),
  shipment: (id) =>
    id === 'S-1' ? { donor: 'DE', recipient: 'UA', producer: 'rheinmetall' } : undefined,
};

const donor = (country: string): Viewer => ({ kind: 'donor', country });
const producer = (org: string): Viewer => ({ kind: 'producer', org });
const recipient = (country: string): Viewer => ({ kind: 'recipient', country });

describe(eventFact.name, () => {
  it('makes pledge announcements and programme declarations public', () => {
    for (const type of ['tracker.pledge.announced.v1', 'tracker.programme.declared.v1']) {
      expect(maySee(donor('FR'), eventFact(event(type, {}), known))).toBe(true);
    }
  });

  it("gives a shipment's events to its pledge's donor and recipient and its sender only", () => {
    for (const type of [
      'tracker.shipment.milestone.v1',
      'tracker.shipment.delivery-corrected.v1',
    ]) {
      const fact = eventFact(event(type, { shipmentId: 'S-1' }), known);
      expect(maySee(donor('DE'), fact)).toBe(true);
      expect(maySee(recipient('UA'), fact)).toBe(true);
      expect(maySee(producer('rheinmetall'), fact)).toBe(true);
      expect(maySee(donor('FR'), fact)).toBe(false);
      expect(maySee(producer('nammo'), fact)).toBe(false);
    }
  });

  it('grants nothing for a party not known yet: admin and ops only', () => {
    const fact = eventFact(event('tracker.shipment.lost.v1', { shipmentId: 'S-9' }), known);
    expect(maySee(donor('DE'), fact)).toBe(false);
    expect(maySee({ kind: 'ops' }, fact)).toBe(true);
  });

  it("gives an allocation to the pledge's parties and the lot's producer", () => {
    const fact = eventFact(
      event('tracker.production.allocated.v1', { pledgeId: 'P-1', lotId: 'L-1' }),
      known,
    );
    expect(maySee(producer('rheinmetall'), fact)).toBe(true);
    expect(maySee(donor('DE'), fact)).toBe(true);
    expect(maySee(donor('PL'), fact)).toBe(false);
  });

  it('keeps stockpiles national and lots commercial', () => {
    const stockpile = eventFact(
      event('tracker.stockpile.level-reported.v1', { nation: 'PL', itemCode: 'AMMO-155MM' }),
      known,
    );
    expect(maySee(donor('PL'), stockpile)).toBe(true);
    expect(maySee(donor('DE'), stockpile)).toBe(false);
    const qa = eventFact(event('tracker.production.lot-qa-changed.v1', { lotId: 'L-1' }), known);
    expect(maySee(producer('rheinmetall'), qa)).toBe(true);
    expect(maySee(donor('DE'), qa)).toBe(false);
  });

  it("gives an alert's clearing to whom it was raised for when the door remembers, else ops", () => {
    const raised = alertFact({ entityType: 'pledge', entityId: 'P-1', details: { donor: 'DE' } });
    const cleared = event('tracker.alert.cleared.v1', { alertId: 'A-1' });
    expect(maySee(donor('DE'), eventFact(cleared, { ...known, raisedAlert: () => raised }))).toBe(
      true,
    );
    expect(maySee(donor('DE'), eventFact(cleared, known))).toBe(false);
  });
});

describe(producerOf.name, () => {
  it('names the organisation of a producer sender only', () => {
    expect(producerOf('producer:rheinmetall')).toBe('rheinmetall');
    expect(producerOf('donor:DE')).toBeUndefined();
    expect(producerOf(null)).toBeUndefined();
  });
});

import { maySee } from '@tracker/access';
import { aMilestone, anAlert, anAlertClearance, aPledge, aShipment } from '@tracker/testing';
import { audienceOf, EventContext, matchesFilters } from './audience';

const pledge = aPledge().withDonor('DE').withRecipient('UA').withItem('AMMO-155MM').build();
const context: EventContext = {
  pledge: { pledgeId: pledge.pledgeId, donor: 'DE', recipient: 'UA', itemCode: 'AMMO-155MM' },
  shipment: {
    shipmentId: 'S-1',
    pledgeId: pledge.pledgeId,
    itemCode: 'AMMO-155MM',
    sender: 'producer:rheinmetall',
  },
};
const milestone = aMilestone().forShipment({ shipmentId: 'S-1' }).buildEvent();

describe('who receives an event', () => {
  it('sends pledge events to everyone', () => {
    const fact = audienceOf(aPledge().buildEvent(), {});
    expect(maySee({ kind: 'donor', country: 'PL' }, fact)).toBe(true);
  });

  it("sends a shipment's events to its pledge's donor and recipient and its sender only", () => {
    const fact = audienceOf(milestone, context);
    expect(maySee({ kind: 'donor', country: 'DE' }, fact)).toBe(true);
    expect(maySee({ kind: 'recipient', country: 'UA' }, fact)).toBe(true);
    expect(maySee({ kind: 'producer', org: 'rheinmetall' }, fact)).toBe(true);
    expect(maySee({ kind: 'donor', country: 'PL' }, fact)).toBe(false);
    expect(maySee({ kind: 'producer', org: 'nammo' }, fact)).toBe(false);
    expect(maySee({ kind: 'ops' }, fact)).toBe(true);
  });

  it('sends a shipment event whose parties are not known yet to admin and ops only', () => {
    const fact = audienceOf(milestone, {});
    expect(maySee({ kind: 'donor', country: 'DE' }, fact)).toBe(false);
    expect(maySee({ kind: 'admin' }, fact)).toBe(true);
  });

  it("sends an alert's clearing to whom the alert was raised for, else to admin and ops", () => {
    const cleared = anAlertClearance().buildEvent();
    const raisedFor = audienceOf(
      anAlert().withDetails({ donor: 'DE', recipient: 'UA' }).buildEvent(),
      {},
    );
    expect(maySee({ kind: 'recipient', country: 'UA' }, raisedFor)).toBe(true);
    const known = audienceOf(cleared, { raisedAlert: raisedFor });
    expect(maySee({ kind: 'recipient', country: 'UA' }, known)).toBe(true);
    expect(maySee({ kind: 'donor', country: 'PL' }, known)).toBe(false);
    const unknown = audienceOf(cleared, {});
    expect(maySee({ kind: 'recipient', country: 'UA' }, unknown)).toBe(false);
    expect(maySee({ kind: 'ops' }, unknown)).toBe(true);
  });

  it('passes the filters a subscription lists, each of them, by pledge, item and donor', () => {
    expect(matchesFilters({}, milestone, context)).toBe(true);
    expect(matchesFilters({ pledgeIds: [pledge.pledgeId] }, milestone, context)).toBe(true);
    expect(matchesFilters({ itemCodes: ['AMMO-155MM'], donors: ['DE'] }, milestone, context)).toBe(
      true,
    );
    expect(matchesFilters({ itemCodes: ['AMMO-155MM'], donors: ['PL'] }, milestone, context)).toBe(
      false,
    );
    expect(matchesFilters({ pledgeIds: [pledge.pledgeId] }, milestone, {})).toBe(false);
  });

  it('takes the pledge of a dispatch from the dispatch itself', () => {
    const dispatch = aShipment().forPledge(pledge).buildEvent();
    expect(matchesFilters({ pledgeIds: [pledge.pledgeId] }, dispatch, {})).toBe(true);
    expect(matchesFilters({ pledgeIds: ['another'] }, dispatch, {})).toBe(false);
  });
});

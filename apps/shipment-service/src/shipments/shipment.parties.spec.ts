import { Role } from '@tracker/config';
import { Conflict, Forbidden } from '@tracker/errors';
import { aShipment, refusalOf } from '@tracker/testing';
import { KnownPledge } from '../pledges-view/pledges-view.repository';
import {
  checkDonorDispatch,
  checkProducerDispatch,
  checkRecipientScope,
  checkSenderScope,
  dispatcher,
  owningProducer,
} from './shipment.parties';
import { toEntity } from './shipment.view';

const rheinmetall: Role = { kind: 'producer', org: 'rheinmetall' };
const nammo: Role = { kind: 'producer', org: 'nammo' };
const admin: Role = { kind: 'admin' };
const ops: Role = { kind: 'ops' };
const donorDE: Role = { kind: 'donor', country: 'DE' };
const donorPL: Role = { kind: 'donor', country: 'PL' };
const recipientUA: Role = { kind: 'recipient', country: 'UA' };
const recipientMD: Role = { kind: 'recipient', country: 'MD' };

const pledge: KnownPledge = {
  pledgeId: 'pledge-1',
  donor: 'DE',
  recipient: 'UA',
  itemCode: 'AMMO-155MM',
  quantity: 10_000,
  status: 'active',
};

describe('who may write which shipment facts', () => {
  const dispatch = aShipment()
    .forPledge({ pledgeId: pledge.pledgeId, itemCode: 'AMMO-155MM' })
    .withQuantity(1000)
    .withLots('LOT-A')
    .build();
  const allocation = { allocated: 3000, lotIds: new Set(['LOT-A', 'LOT-B']) };

  describe(owningProducer.name, () => {
    it("gives a new shipment to the producer's organisation, or to whom an admin names", () => {
      expect(owningProducer(rheinmetall, undefined)).toBe('rheinmetall');
      expect(owningProducer(rheinmetall, 'rheinmetall')).toBe('rheinmetall');
      expect(owningProducer(admin, 'nammo')).toBe('nammo');
      expect(owningProducer(admin, undefined)).toBeNull();
      expect(owningProducer(donorDE, undefined)).toBeNull();
    });

    it.each([
      [nammo, 'rheinmetall'],
      [donorDE, 'rheinmetall'],
      [ops, undefined],
      [recipientUA, undefined],
    ])('refuses %o dispatching for %s', (role, named) => {
      expect(refusalOf(() => owningProducer(role, named))).toBeInstanceOf(Forbidden);
    });
  });

  describe(dispatcher.name, () => {
    it('names the owning producer, else the donor shipping from stocks, else admin', () => {
      expect(dispatcher(rheinmetall, 'rheinmetall')).toBe('producer:rheinmetall');
      expect(dispatcher(admin, 'nammo')).toBe('producer:nammo');
      expect(dispatcher(donorDE, null)).toBe('donor:DE');
      expect(dispatcher(admin, null)).toBe('admin');
    });
  });

  describe(checkProducerDispatch.name, () => {
    it('accepts a dispatch of its own allocated lots within what is left', () => {
      expect(() =>
        checkProducerDispatch('rheinmetall', pledge, dispatch, allocation, 2000),
      ).not.toThrow();
    });

    it('refuses a producer with nothing allocated to the pledge (403)', () => {
      const none = { allocated: 0, lotIds: new Set<string>() };
      const error = refusalOf(() => checkProducerDispatch('nammo', pledge, dispatch, none, 0));
      expect(error).toBeInstanceOf(Forbidden);
      expect(error.message).toContain('no lots allocated to pledge pledge-1');
    });

    it("refuses a lot that is not the sender's allocated to the pledge (403)", () => {
      const foreign = { ...dispatch, lotIds: ['LOT-A', 'LOT-NAMMO'] };
      const error = refusalOf(() =>
        checkProducerDispatch('rheinmetall', pledge, foreign, allocation, 0),
      );
      expect(error).toBeInstanceOf(Forbidden);
      expect(error.message).toContain('lot LOT-NAMMO is not a lot of producer:rheinmetall');
    });

    it('refuses more than allocated and not yet shipped (409 exceeds-allocation)', () => {
      const error = refusalOf(() =>
        checkProducerDispatch('rheinmetall', pledge, dispatch, allocation, 2001),
      );
      expect(error).toBeInstanceOf(Conflict);
      expect(error).toMatchObject({ code: 'exceeds-allocation', field: 'quantity' });
    });
  });

  describe(checkDonorDispatch.name, () => {
    const fromStocks = { ...dispatch, lotIds: undefined };

    it('accepts a donor shipping from its stocks against its own pledge', () => {
      expect(() => checkDonorDispatch('DE', pledge, fromStocks, 9000)).not.toThrow();
    });

    it("refuses another donor's pledge (403)", () => {
      expect(refusalOf(() => checkDonorDispatch('PL', pledge, fromStocks, 0))).toBeInstanceOf(
        Forbidden,
      );
    });

    it("refuses lots, which are producers' (403)", () => {
      expect(refusalOf(() => checkDonorDispatch('DE', pledge, dispatch, 0))).toBeInstanceOf(
        Forbidden,
      );
    });

    it('refuses more than the pledge has left (409 exceeds-pledge)', () => {
      const error = refusalOf(() => checkDonorDispatch('DE', pledge, fromStocks, 9001));
      expect(error).toMatchObject({ code: 'exceeds-pledge', field: 'quantity' });
    });
  });

  describe(checkSenderScope.name, () => {
    const byProducer = toEntity(dispatch, 'rheinmetall', 'DE');
    const fromStocks = toEntity(dispatch, null, 'DE');

    it('lets the sender and admins report milestones and losses', () => {
      expect(() => checkSenderScope(admin, byProducer)).not.toThrow();
      expect(() => checkSenderScope(rheinmetall, byProducer)).not.toThrow();
      expect(() => checkSenderScope(donorDE, fromStocks)).not.toThrow();
    });

    it.each([
      ['another producer', nammo, byProducer],
      ["the pledge's donor, for a producer's shipment", donorDE, byProducer],
      ['another donor', donorPL, fromStocks],
      ['a producer, for a shipment from stocks', rheinmetall, fromStocks],
      ['the recipient', recipientUA, byProducer],
      ['ops', ops, byProducer],
    ])('refuses %s', (_, role, shipment) => {
      expect(refusalOf(() => checkSenderScope(role, shipment))).toBeInstanceOf(Forbidden);
    });
  });

  describe(checkRecipientScope.name, () => {
    const shipment = toEntity(dispatch, 'rheinmetall', 'DE');

    it("lets the pledge's recipient and admins confirm receipt", () => {
      expect(() => checkRecipientScope(recipientUA, shipment, 'UA')).not.toThrow();
      expect(() => checkRecipientScope(admin, shipment, 'UA')).not.toThrow();
    });

    it.each([
      ['the sender', rheinmetall],
      ['the donor', donorDE],
      ['another recipient', recipientMD],
      ['ops', ops],
    ])('refuses %s', (_, role) => {
      const error = refusalOf(() => checkRecipientScope(role, shipment, 'UA'));
      expect(error).toBeInstanceOf(Forbidden);
      expect(error.message).toContain('only its recipient, recipient:UA, confirms receipt');
    });
  });
});

import { Fact, maySee, Viewer } from '@tracker/access';
import type { TrackerEvent } from '@tracker/contracts';
import {
  aCapacityDeclaration,
  aDelivery,
  aLot,
  aLotQaChange,
  aMilestone,
  anAlert,
  anAlertClearance,
  anAllocation,
  aPledge,
  aPledgeAmendment,
  aPledgeCancellation,
  aShipment,
  aShipmentLoss,
  aStockpileLevel,
} from '@tracker/testing';
import { BatchChanges, planBatch } from '../src/apply/batch-plan';
import { documentsOf } from '../src/apply/routes';
import { MemoryModel } from '../src/time-travel/memory-model';
import { recordedAtEventTime } from './recorded';

const admin: Viewer = { kind: 'admin' };
const ops: Viewer = { kind: 'ops' };
const donorDE: Viewer = { kind: 'donor', country: 'DE' };
const donorPL: Viewer = { kind: 'donor', country: 'PL' };
const recipientUA: Viewer = { kind: 'recipient', country: 'UA' };
const rheinmetall: Viewer = { kind: 'producer', org: 'rheinmetall' };
const nammo: Viewer = { kind: 'producer', org: 'nammo' };
const everyone = { admin, ops, donorDE, donorPL, recipientUA, rheinmetall, nammo };

/** Folds one batch into the store and returns what it planned. */
function fold(store: MemoryModel, events: readonly TrackerEvent[]): BatchChanges {
  const loaded = store.load({
    docs: [...new Set(events.flatMap(documentsOf))],
    events: events.map((event) => event.id),
    offsets: [],
    aggregates: [],
  });
  const changes = planBatch(recordedAtEventTime(events), loaded, '');
  store.apply(changes);
  return changes;
}

/** The audience of the feed entry of `event` in `changes`. */
function audienceOf(changes: BatchChanges, event: TrackerEvent): Fact | undefined {
  return changes.feed.find(({ entry }) => entry.id === event.id)?.entry.audience;
}

/** Which of {@link everyone} may see the entry. */
function seenBy(fact: Fact | undefined): string[] {
  if (fact === undefined) return [];
  return Object.entries(everyone)
    .filter(([, viewer]) => maySee(viewer, fact))
    .map(([name]) => name);
}

describe('the audience of feed entries', () => {
  const pledge = aPledge().withDonor('DE').withRecipient('UA').buildEvent();
  const lot = aLot().byManufacturer('rheinmetall', 'Unterlüß').buildEvent();

  it('makes what a pledge announces, amends and cancels public', () => {
    const amendment = aPledgeAmendment().forPledge(pledge.data).buildEvent();
    const cancellation = aPledgeCancellation().forPledge(pledge.data).buildEvent();
    const changes = fold(new MemoryModel(), [pledge, amendment, cancellation]);
    for (const event of [pledge, amendment, cancellation])
      expect(audienceOf(changes, event)).toEqual({ class: 'public' });
  });

  it("gives capacity and lots to their producer, a QA change's from the lot's document", () => {
    const store = new MemoryModel();
    const capacity = aCapacityDeclaration().byManufacturer('nammo', 'Raufoss', 'NO').buildEvent();
    const completed = fold(store, [capacity, lot]);
    expect(audienceOf(completed, capacity)).toEqual({ class: 'commercial', producer: 'nammo' });
    expect(seenBy(audienceOf(completed, lot))).toEqual(['admin', 'ops', 'rheinmetall']);
    const qa = aLotQaChange().forLot(lot.data).buildEvent();
    expect(seenBy(audienceOf(fold(store, [qa]), qa))).toEqual(['admin', 'ops', 'rheinmetall']);
  });

  it('keeps a QA change of a lot not known yet for admin and ops', () => {
    const qa = aLotQaChange().buildEvent();
    expect(seenBy(audienceOf(fold(new MemoryModel(), [qa]), qa))).toEqual(['admin', 'ops']);
  });

  it("gives an allocation to the pledge's donor and recipient and the lot's producer", () => {
    const store = new MemoryModel();
    fold(store, [pledge, lot]);
    const allocation = anAllocation().fromLot(lot.data).forPledge(pledge.data).buildEvent();
    expect(audienceOf(fold(store, [allocation]), allocation)).toEqual({
      class: 'operational',
      donor: 'DE',
      recipient: 'UA',
      producers: ['rheinmetall'],
    });
  });

  it("gives a shipment's events to its pledge's parties and the producer that sent it", () => {
    const store = new MemoryModel();
    fold(store, [pledge]);
    const dispatch = aShipment().forPledge(pledge.data).sentBy('producer:rheinmetall').buildEvent();
    const milestone = aMilestone().forShipment(dispatch.data).buildEvent();
    const loss = aShipmentLoss().forShipment(dispatch.data).withQuantity(1).buildEvent();
    const delivery = aDelivery().forShipment(dispatch.data).reportedBy('recipient:UA').buildEvent();
    const first = fold(store, [dispatch, milestone]);
    const later = fold(store, [loss, delivery]);
    for (const [changes, event] of [
      [first, dispatch],
      [first, milestone],
      [later, loss],
      [later, delivery],
    ] as const) {
      expect(seenBy(audienceOf(changes, event))).toEqual([
        'admin',
        'ops',
        'donorDE',
        'recipientUA',
        'rheinmetall',
      ]);
    }
  });

  it('names no producer for a shipment a donor sent from its stocks', () => {
    const store = new MemoryModel();
    const dispatch = aShipment().forPledge(pledge.data).sentBy('donor:DE').buildEvent();
    expect(seenBy(audienceOf(fold(store, [pledge, dispatch]), dispatch))).toEqual([
      'admin',
      'ops',
      'donorDE',
      'recipientUA',
    ]);
  });

  it('leaves out the parties not known yet: admin and ops only before the dispatch', () => {
    const store = new MemoryModel();
    const dispatch = aShipment().forPledge(pledge.data).sentBy('producer:rheinmetall').buildEvent();
    const early = aMilestone().forShipment(dispatch.data).buildEvent();
    expect(seenBy(audienceOf(fold(store, [early]), early))).toEqual(['admin', 'ops']);
    // The dispatch names its sender, but the pledge is not announced yet.
    expect(seenBy(audienceOf(fold(store, [dispatch]), dispatch))).toEqual([
      'admin',
      'ops',
      'rheinmetall',
    ]);
  });

  it('gives a stockpile report to its nation and an alert to the parties of its fact', () => {
    const stockpile = aStockpileLevel().ofNation('PL').buildEvent();
    const alert = anAlert()
      .about('pledge', pledge.data.pledgeId)
      .withDetails({ donor: 'DE', recipient: 'UA' })
      .buildEvent();
    const clearance = anAlertClearance().forAlert(alert.data).buildEvent();
    const changes = fold(new MemoryModel(), [stockpile, alert, clearance]);
    expect(audienceOf(changes, stockpile)).toEqual({ class: 'national', nation: 'PL' });
    expect(seenBy(audienceOf(changes, alert))).toEqual(['admin', 'ops', 'donorDE', 'recipientUA']);
    expect(seenBy(audienceOf(changes, clearance))).toEqual(['admin', 'ops']);
  });
});

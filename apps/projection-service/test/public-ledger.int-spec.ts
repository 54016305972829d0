import { DeadLetterPublisher, EventProducer } from '@tracker/kafka';
import type { PublicFact } from '@tracker/read-model';
import {
  aDelivery,
  aLot,
  aMilestone,
  aPledge,
  aPledgeAmendment,
  aShipment,
} from '@tracker/testing';
import { ManualClock } from '../src/clock/clock';
import { Rebuilder } from '../src/rebuild/rebuilder';
import { ProjectionHarness, silent } from './projection-harness';

// The public ledger (libs/read-model public-ledger.ts): the public facts of the applied events,
// each scored by the timestamp of the Kafka record it came from, written in the atomic step.

describe('the public ledger', () => {
  const harness = new ProjectionHarness('public-ledger');
  const clock = new ManualClock(Date.parse('2026-03-25T00:00:00Z'));
  const pledge = aPledge().withDonor('DE').withRecipient('UA').buildEvent();
  const amendment = aPledgeAmendment().forPledge(pledge.data).withQuantity(90_000).buildEvent();
  const confirmedShipment = aShipment()
    .forPledge(pledge.data)
    .sentBy('producer:rheinmetall')
    .buildEvent();
  const confirmed = aDelivery()
    .forShipment(confirmedShipment.data)
    .withRejected(400)
    .reportedBy('recipient:UA')
    .buildEvent();
  const unconfirmedShipment = aShipment().forPledge(pledge.data).sentBy('donor:DE').buildEvent();
  const unconfirmed = aDelivery().forShipment(unconfirmedShipment.data).buildEvent();
  const events = [
    pledge,
    amendment,
    confirmedShipment,
    aMilestone().forShipment(confirmedShipment.data).buildEvent(),
    confirmed,
    unconfirmedShipment,
    unconfirmed,
    aLot().buildEvent(),
  ];
  const firstRecorded = Date.now() - 120_000;
  const againRecorded = Date.now() - 60_000;

  beforeAll(async () => {
    await harness.createTopics(1);
  });

  afterAll(async () => {
    await harness.cleanup();
  });

  it('holds each public fact once, at the time of the first record it came from, and nothing else', async () => {
    await harness.publishRecordedAt(events, firstRecorded);
    const projection = harness.projection({ clock });
    await projection.start();
    await harness.caughtUp();
    await harness.publishRecordedAt(events, againRecorded);
    await harness.caughtUp();

    const ledger = await harness.reader().publicFacts(Date.now());
    const ids = (facts: readonly { fact: PublicFact }[]) =>
      facts.map(({ fact }) => `${fact.k}:${fact.id}`).sort();
    expect(ids(ledger)).toEqual(
      [
        `announced:${pledge.id}`,
        `amended:${amendment.id}`,
        `shipped:${confirmedShipment.id}`,
        `shipped:${unconfirmedShipment.id}`,
        `accepted:${confirmed.id}`,
      ].sort(),
    );
    expect(ledger.map(({ recordedMs }) => recordedMs)).toEqual(ledger.map(() => firstRecorded));
    expect(ledger.find(({ fact }) => fact.k === 'accepted')?.fact).toEqual({
      k: 'accepted',
      id: confirmed.id,
      t: confirmed.data.receivedAt,
      shipmentId: confirmedShipment.data.shipmentId,
      quantity: confirmedShipment.data.quantity - 400,
    });
    expect(JSON.stringify(ledger)).not.toContain(unconfirmed.id);
    await expect(harness.reader().publicFacts(firstRecorded - 1)).resolves.toEqual([]);

    const writer = harness.writer();
    const epoch = (await writer.currentEpoch()) as string;
    await expect(harness.client.zcard(writer.keys.publicLedgerKey(epoch))).resolves.toBe(5);
  }, 60_000);

  it('is the same after a rebuild from Kafka', async () => {
    const before = await harness.reader().publicFacts(Date.now());
    const producer = new EventProducer(harness.kafka);
    const result = await new Rebuilder(
      {
        kafka: harness.kafka,
        redis: harness.client,
        deadLetters: new DeadLetterPublisher(producer),
        logger: silent,
        clock,
      },
      { groupId: harness.groupId, topics: harness.topics, namespace: harness.namespace },
    ).run();
    await producer.onApplicationShutdown();

    await expect(harness.writer().currentEpoch()).resolves.toBe(result.epoch);
    expect(before).toHaveLength(5);
    await expect(harness.reader().publicFacts(Date.now())).resolves.toEqual(before);
  }, 120_000);
});

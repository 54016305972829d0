// Issue 18, part 1: GET /v1/pledges/:id/history, the events behind a pledge's figures. For a
// seeded stream folded by the real projection and read through the real gateway, the changes of
// every figure add up to the pledge's live value; an amendment and a correction show as such.
import {
  COUNTED_HISTORY_FIELDS,
  PledgeHistoryEntry,
  PledgeValue,
  PUBLIC_HISTORY_FIELDS,
} from '@tracker/read-model';
import {
  aDelivery,
  aDeliveryCorrection,
  aMilestone,
  anAllocation,
  aPledge,
  aPledgeAmendment,
  aShipment,
  aShipmentLoss,
  newId,
  waitFor,
} from '@tracker/testing';
import { startReadStack, ReadStack } from './read-stack';

interface History {
  readonly pledgeId: string;
  readonly view: 'full' | 'public';
  readonly entries: PledgeHistoryEntry[];
}

const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}T10:00:00Z`;

describe('GET /v1/pledges/:id/history', () => {
  let stack: ReadStack;
  const pledge = aPledge()
    .withDonor('DE')
    .withRecipient('UA')
    .withQuantity(5_000)
    .buildEvent({ time: day(1) });
  const amendment = aPledgeAmendment()
    .forPledge(pledge.data)
    .withQuantity(4_000)
    .buildEvent({ time: day(2) });
  const allocation = anAllocation()
    .forPledge(pledge.data)
    .withQuantity(3_000)
    .buildEvent({ time: day(3) });
  const first = aShipment()
    .forPledge(pledge.data)
    .withQuantity(2_400)
    .sentBy('producer:rheinmetall')
    .buildEvent({ time: day(4) });
  const milestone = aMilestone()
    .forShipment(first.data)
    .buildEvent({ time: day(5) });
  const receipt = aDelivery()
    .forShipment(first.data)
    .reportedBy('recipient:UA')
    .buildEvent({ time: day(6) });
  const correction = aDeliveryCorrection()
    .forShipment(first.data)
    .withReceipt(2_400, 2_352)
    .correctedAt(day(7))
    .buildEvent({ time: day(7) });
  const second = aShipment()
    .forPledge(pledge.data)
    .withQuantity(1_000)
    .sentBy('donor:DE')
    .buildEvent({ time: day(8) });
  const loss = aShipmentLoss()
    .forShipment(second.data)
    .withQuantity(100)
    .buildEvent({ time: day(9) });
  const stream = [
    pledge,
    amendment,
    allocation,
    first,
    milestone,
    receipt,
    correction,
    second,
    loss,
  ];
  const path = `/v1/pledges/${pledge.data.pledgeId}/history`;

  beforeAll(async () => {
    stack = await startReadStack('history');
    await stack.publish(stream);
    await waitFor('the history of every event', async () => {
      const response = await stack.get('admin', path);
      return response.status === 200 && (response.body as History).entries.length === 9;
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('adds up, figure by figure, to the pledge’s live value', async () => {
    const live = (await stack.get('admin', `/v1/pledges/${pledge.data.pledgeId}/live`).expect(200))
      .body as PledgeValue;
    const history = (await stack.get('admin', path).expect(200)).body as History;
    expect(history.view).toBe('full');
    for (const field of COUNTED_HISTORY_FIELDS) {
      const sum = history.entries.reduce((total, { changes }) => {
        const change = changes[field];
        return change ? total + Number(change.after) - Number(change.before) : total;
      }, 0);
      expect([field, sum]).toEqual([field, live[field]]);
    }
    expect(live).toMatchObject({ pledged: 4_000, accepted: 2_352, rejected: 48, lost: 100 });
  });

  it('lists the events in the order applied, the amendment and the correction as such', async () => {
    const { entries } = (await stack.get('donorDE', path).expect(200)).body as History;
    expect(entries.map(({ eventId }) => eventId).sort()).toEqual(stream.map(({ id }) => id).sort());
    const seqs = entries.map(({ seq }) => seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const byId = new Map(entries.map((entry) => [entry.eventId, entry]));
    expect(byId.get(amendment.id)).toMatchObject({
      type: 'tracker.pledge.amended.v1',
      reason: amendment.data.reason,
      source: amendment.source,
      time: amendment.time,
      class: 'public',
      changes: { pledged: { before: 5_000, after: 4_000 } },
    });
    const corrected = byId.get(correction.id)!;
    expect(corrected).toMatchObject({
      type: 'tracker.shipment.delivery-corrected.v1',
      reason: correction.data.reason,
      reportedBy: 'recipient:UA',
      confidence: 'confirmed',
      shipmentId: first.data.shipmentId,
      changes: {
        accepted: { before: 2_400, after: 2_352 },
        rejected: { before: 0, after: 48 },
      },
    });
    expect(Date.parse(corrected.recordedAt)).toBeGreaterThan(Date.parse(corrected.time));
    expect(byId.get(receipt.id)?.changes.accepted).toEqual({ before: 0, after: 2_400 });
    expect(byId.get(first.id)).toMatchObject({
      reportedBy: 'producer:rheinmetall',
      class: 'operational',
    });
  });

  it('shows a caller who is no party to the pledge its public entries, public figures only', async () => {
    const history = (await stack.get('donorPL', path).expect(200)).body as History;
    expect(history.view).toBe('public');
    expect(history.entries.map(({ eventId }) => eventId).sort()).toEqual(
      [pledge, amendment, receipt, correction].map(({ id }) => id).sort(),
    );
    for (const entry of history.entries) {
      expect(entry.class).toBe('public');
      expect(entry.shipmentId).toBeUndefined();
      for (const field of Object.keys(entry.changes))
        expect(PUBLIC_HISTORY_FIELDS).toContain(field);
    }
    const full = (await stack.get('recipientUA', path).expect(200)).body as History;
    expect(full.view).toBe('full');
  });

  it('answers 404 for a pledge it does not know, 401 without a token', async () => {
    await stack.get('admin', `/v1/pledges/${newId()}/history`).expect(404);
    await fetch(`${stack.gateway.url}${path}`).then(({ status }) => expect(status).toBe(401));
  });
});

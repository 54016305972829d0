import type { TrackerEvent } from '@tracker/contracts';
import { Fact, operationalFact, PUBLIC_FACT } from './policy';

/** The parties of a pledge, or of a shipment (its pledge's, and the producer that sent it). */
export interface Parties {
  readonly donor?: string;
  readonly recipient?: string;
  readonly producer?: string;
}

/**
 * What a door knows of the parties an event is about, when it judges the event. Each door keeps
 * its own view (the projection its working set, webhook-service its tables, the export what it
 * read before); a party not known yet is undefined, and then grants nothing.
 */
export interface PartiesKnown {
  /** A pledge's donor and recipient, once announced. */
  pledge(pledgeId: string): Parties | undefined;
  /** The producer that made a lot. */
  lotProducer(lotId: string): string | undefined;
  /** A shipment's pledge's donor and recipient and its sender's organisation, once dispatched. */
  shipment(shipmentId: string): Parties | undefined;
  /** Whom an alert was raised for, when the door remembers; else its clearing is admin's and ops'. */
  raisedAlert?(alertId: string): Fact | undefined;
}

/** What an alert says it is about (an alert's value, or a raised alert's payload). */
export interface AlertSubject {
  readonly entityType: 'pledge' | 'shipment' | 'lot' | 'item' | 'stockpile' | 'donor';
  readonly entityId: string;
  readonly details?: Readonly<Record<string, unknown>> | null;
}

/** The organisation of a `producer:<org>` sender; undefined for a donor, an admin or none. */
export function producerOf(sender: string | null | undefined): string | undefined {
  return sender?.startsWith('producer:') ? sender.slice('producer:'.length) : undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * The fact an alert is about: an item's alert is public (demand against declared capacity per
 * item), a stockpile's is its nation's, a lot's its producer's, a pledge's or shipment's belongs
 * to the parties its details name (`donor`, `recipient`, `producer`).
 */
export function alertFact(alert: AlertSubject): Fact {
  const details = alert.details ?? {};
  switch (alert.entityType) {
    case 'item':
      return { class: 'public' };
    case 'stockpile':
      return { class: 'national', nation: alert.entityId.split(':')[0] };
    case 'lot':
      return { class: 'commercial', producer: text(details.producer) ?? '' };
    case 'donor':
      return { class: 'operational', donor: alert.entityId };
    case 'pledge':
    case 'shipment': {
      const producer = text(details.producer);
      return {
        class: 'operational',
        donor: text(details.donor),
        recipient: text(details.recipient),
        producers: producer === undefined ? [] : [producer],
      };
    }
  }
}

const withProducer = (parties: Parties | undefined): Fact =>
  operationalFact(parties ?? {}, parties?.producer === undefined ? [] : [parties.producer]);

/**
 * Who may see an event (DESIGN.md §4b), the one rule every door that hands out events uses — the
 * projection's feed, webhook-service's deliveries, the events export: a pledge's announcement,
 * amendment and cancellation and a programme's declaration are public; an allocation belongs to
 * the pledge's donor and recipient and the lot's producer; capacity and lots to their producer;
 * a shipment's events to its pledge's donor and recipient and the producer that sent it; a
 * stockpile report to its nation; an alert to the parties it names, and its clearing to the same
 * when the door remembers them, else to admin and ops.
 */
export function eventFact(event: TrackerEvent, known: PartiesKnown): Fact {
  switch (event.type) {
    case 'tracker.pledge.announced.v1':
    case 'tracker.pledge.amended.v1':
    case 'tracker.pledge.cancelled.v1':
    case 'tracker.programme.declared.v1':
      return PUBLIC_FACT;
    case 'tracker.production.allocated.v1': {
      const { donor, recipient } = known.pledge(event.data.pledgeId) ?? {};
      return withProducer({ donor, recipient, producer: known.lotProducer(event.data.lotId) });
    }
    case 'tracker.production.capacity-declared.v1':
    case 'tracker.production.lot-completed.v1':
      return { class: 'commercial', producer: event.data.manufacturer };
    case 'tracker.production.lot-qa-changed.v1':
      return { class: 'commercial', producer: known.lotProducer(event.data.lotId) ?? '' };
    case 'tracker.shipment.dispatched.v1':
    case 'tracker.shipment.milestone.v1':
    case 'tracker.shipment.delivered.v1':
    case 'tracker.shipment.delivery-corrected.v1':
    case 'tracker.shipment.lost.v1':
      return withProducer(known.shipment(event.data.shipmentId));
    case 'tracker.stockpile.level-reported.v1':
      return { class: 'national', nation: event.data.nation };
    case 'tracker.alert.raised.v1':
      return alertFact(event.data);
    case 'tracker.alert.cleared.v1':
      return known.raisedAlert?.(event.data.alertId) ?? operationalFact({});
  }
}

/**
 * The public ledger: the public facts of the tracker (README, "The public view") with the time
 * the tracker recorded each, so the public view can show what was recorded at least
 * `PUBLIC_DELAY_DAYS` ago. The projection adds to it in the same atomic step as everything else
 * it applies, so it is rebuilt with the rest and never counts an event twice.
 *
 * Redis: one sorted set per epoch, `{<ns>}:<epoch>:public`; score = recording time in epoch
 * milliseconds (the timestamp of the event's record on its contract topic), member = the
 * {@link PublicFact} as JSON (unique: it carries the event id).
 */

/** A pledge as announced: its public fields. */
export interface PublicAnnouncement {
  readonly pledgeId: string;
  readonly donor: string;
  readonly recipient: string;
  readonly itemCode: string;
  readonly quantity: number;
  readonly valueCents?: number;
  readonly announcedAt: string;
  readonly targetDate?: string;
  readonly purpose: string;
  readonly sourcing: string;
  readonly programme?: string;
  readonly confidence: string;
  readonly sourceUrl?: string;
}

/**
 * One public fact. `id` is the event id, `t` the event's own time. `shipped` links a shipment to
 * its pledge so that a receipt can be counted for the pledge's donor and item; it is never shown.
 * `accepted` is a receipt the recipient (or admin) confirmed: its accepted quantity.
 * `corrected` is the recipient's (or admin's) correction of a shipment's receipt: the latest one
 * (by `t`, then `id`) replaces the shipment's accepted quantity, still counted at its receipt's
 * time (at the correction's when no receipt is known).
 */
export type PublicFact =
  | {
      readonly k: 'announced';
      readonly id: string;
      readonly t: string;
      readonly pledge: PublicAnnouncement;
    }
  | {
      readonly k: 'amended';
      readonly id: string;
      readonly t: string;
      readonly pledgeId: string;
      readonly quantity?: number;
      readonly targetDate?: string;
      readonly reason: string;
    }
  | {
      readonly k: 'cancelled';
      readonly id: string;
      readonly t: string;
      readonly pledgeId: string;
      readonly reason: string;
    }
  | {
      readonly k: 'shipped';
      readonly id: string;
      readonly shipmentId: string;
      readonly pledgeId: string;
    }
  | {
      readonly k: 'accepted';
      readonly id: string;
      readonly t: string;
      readonly shipmentId: string;
      readonly quantity: number;
    }
  | {
      readonly k: 'corrected';
      readonly id: string;
      /** When the receipt was corrected. */
      readonly t: string;
      readonly shipmentId: string;
      /** The shipment's accepted quantity as corrected: it replaces its receipts' as a whole. */
      readonly quantity: number;
      readonly reason: string;
    };

/** A public fact with the time the tracker recorded it (epoch ms). */
export interface RecordedPublicFact {
  readonly fact: PublicFact;
  readonly recordedMs: number;
}

/** The ledger's key suffix under an epoch's prefix. */
export const PUBLIC_LEDGER_SUFFIX = 'public';

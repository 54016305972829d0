import { Role } from '@tracker/config';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EventRefusal } from './epcis.mapper';

/** Where a capture job stands: waiting for the worker, applied whole, or refused whole. */
export type CaptureStatus = 'pending' | 'succeeded' | 'failed';

/** What an applied event produced: the tracker event it became, or none (a repeat, folded). */
export interface CaptureResult {
  readonly index: number;
  readonly eventID?: string;
  /** The tracker event published, when the event changed anything. */
  readonly trackerEvent?: { readonly id: string; readonly type: string; readonly subject: string };
  /** Why nothing was published: `duplicate-event-id`, `inspection-folded`, `repeated-dispatch`. */
  readonly note?: string;
}

/** One `POST /epcis/capture`: the document, its capturer and its outcome. */
@Entity({ name: 'epcis_captures' })
export class EpcisCaptureEntity {
  @PrimaryColumn({ name: 'capture_id', type: 'text' })
  captureId!: string;

  /** The capturing party's role: the events apply under its scope; it may read the status. */
  @Column({ name: 'captured_by', type: 'jsonb' })
  capturedBy!: Role;

  /** The document as validated at capture (EpcisDocument); parsed again when processed. */
  @Column({ type: 'jsonb' })
  document!: Record<string, unknown>;

  @Column({ name: 'event_count', type: 'integer' })
  eventCount!: number;

  @Column({ type: 'text' })
  status!: CaptureStatus;

  @Column({ type: 'jsonb', nullable: true })
  errors!: EventRefusal[] | null;

  @Column({ type: 'jsonb', nullable: true })
  results!: CaptureResult[] | null;

  /** Why a capture failed as a whole (processing failed again and again), not for its events. */
  @Column({ type: 'text', nullable: true })
  failure!: string | null;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

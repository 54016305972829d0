import { Injectable } from '@nestjs/common';
import { Transaction } from '@tracker/outbox';
import { DataSource } from 'typeorm';
import { EpcisCaptureEntity } from './epcis-capture.entity';

const POSTPONE = `update epcis_captures
  set attempts = $2, next_attempt_at = now() + make_interval(secs => $3::float8 / 1000)
  where capture_id = $1 and status = 'pending'`;

/** What processing changes on a capture job. */
export type CaptureChanges = Partial<
  Pick<EpcisCaptureEntity, 'status' | 'errors' | 'results' | 'attempts' | 'finishedAt'>
>;

/** The only code that touches the `epcis_captures` table (and the savepoints of a capture). */
@Injectable()
export class EpcisCaptureRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Transaction, capture: EpcisCaptureEntity): Promise<void> {
    await tx.manager.query(
      `insert into epcis_captures (capture_id, captured_by, document, event_count, status, created_at, next_attempt_at)
       values ($1, $2, $3, $4, $5, $6, $6)`,
      [
        capture.captureId,
        JSON.stringify(capture.capturedBy),
        JSON.stringify(capture.document),
        capture.eventCount,
        capture.status,
        capture.createdAt,
      ],
    );
  }

  /**
   * The oldest pending capture that is due, its row locked until the transaction ends; captures
   * another worker holds are skipped, so instances never process one capture twice at once.
   */
  async claimNext(tx: Transaction): Promise<EpcisCaptureEntity | undefined> {
    const capture = await tx.manager
      .getRepository(EpcisCaptureEntity)
      .createQueryBuilder('capture')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where(`capture.status = 'pending' and capture.next_attempt_at <= now()`)
      .orderBy('capture.created_at')
      .limit(1)
      .getOne();
    return capture ?? undefined;
  }

  async update(tx: Transaction, captureId: string, changes: CaptureChanges): Promise<void> {
    await tx.manager.getRepository(EpcisCaptureEntity).update({ captureId }, changes);
  }

  /** Puts the claimed capture back for a later attempt, in the claiming transaction. */
  async postpone(tx: Transaction, captureId: string, attempts: number, delayMs: number) {
    await tx.manager.query(POSTPONE, [captureId, attempts, delayMs]);
  }

  /** Puts a pending capture back after a failed transaction (an unexpected failure). */
  async retryLater(captureId: string, attempts: number, delayMs: number): Promise<void> {
    await this.dataSource.query(POSTPONE, [captureId, attempts, delayMs]);
  }

  /** Ends a pending capture as failed as a whole, after a failed transaction. */
  async giveUp(captureId: string, attempts: number, failure: string): Promise<void> {
    await this.dataSource.query(
      `update epcis_captures set status = 'failed', attempts = $2, failure = $3, errors = '[]',
         results = '[]', finished_at = now()
       where capture_id = $1 and status = 'pending'`,
      [captureId, attempts, failure],
    );
  }

  async find(captureId: string): Promise<EpcisCaptureEntity | undefined> {
    const capture = await this.dataSource
      .getRepository(EpcisCaptureEntity)
      .findOneBy({ captureId });
    return capture ?? undefined;
  }

  /** Marks a point of the transaction that `rollbackTo` returns to (one event's changes). */
  async savepoint(tx: Transaction, name: string): Promise<void> {
    await tx.manager.query(`savepoint ${name}`);
  }

  async release(tx: Transaction, name: string): Promise<void> {
    await tx.manager.query(`release savepoint ${name}`);
  }

  async rollbackTo(tx: Transaction, name: string): Promise<void> {
    await tx.manager.query(`rollback to savepoint ${name}`);
  }
}

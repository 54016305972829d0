import { Injectable } from '@nestjs/common';
import { Fact, maySee, operationalFact, Viewer } from '@tracker/access';
import { Role } from '@tracker/config';
import { PledgeAnnouncedV1 } from '@tracker/contracts';
import { Conflict, Forbidden, NotFound, RuleViolation } from '@tracker/errors';
import { EventFactory, Transaction, UnitOfWork, Written } from '@tracker/outbox';
import { v7 as uuidv7 } from 'uuid';
import { WriteRequest } from '@tracker/http';
import { PledgeEntity } from './pledge.entity';
import { PledgeRecord, PledgeRepository } from './pledge.repository';
import {
  AmendPledgeBody,
  AnnouncePledgeBody,
  CancelPledgeBody,
  ListPledgesFilter,
} from './pledge.requests';

/** A pledge as the API shows it. */
export interface PledgeView {
  readonly pledgeId: string;
  readonly donor: string;
  readonly recipient: string;
  readonly itemCode: string;
  readonly quantity: number;
  readonly targetDate: string | null;
  readonly status: 'active' | 'cancelled';
  readonly accepted: number;
  readonly announcement: Record<string, unknown>;
}

function view(pledge: PledgeEntity, accepted: number): PledgeView {
  return {
    pledgeId: pledge.pledgeId,
    donor: pledge.donor,
    recipient: pledge.recipient,
    itemCode: pledge.itemCode,
    quantity: pledge.quantity,
    targetDate: pledge.targetDate,
    status: pledge.status,
    accepted,
    announcement: pledge.announcement,
  };
}

/**
 * The fields of an announcement that are public (README, "Who sees what": the pledge as
 * announced). Listed rather than left out, so a field added to the contract stays private until
 * it is named here.
 */
const PUBLIC_ANNOUNCEMENT_FIELDS = [
  'pledgeId',
  'donor',
  'recipient',
  'itemCode',
  'quantity',
  'valueCents',
  'announcedAt',
  'targetDate',
  'purpose',
  'sourcing',
  'programme',
  'confidence',
  'sourceUrl',
] as const satisfies readonly (keyof PledgeAnnouncedV1)[];

/** The public fields of an announcement as recorded. */
function publicAnnouncement(announcement: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    PUBLIC_ANNOUNCEMENT_FIELDS.filter((field) => announcement[field] !== undefined).map((field) => [
      field,
      announcement[field],
    ]),
  );
}

/**
 * The fact of a pledge's record beyond its public announcement (its `reference`): its donor's
 * and recipient's, like the pledge's operations.
 */
function pledgeRecordFact(pledge: { donor: string; recipient: string }): Fact {
  return operationalFact({ donor: pledge.donor, recipient: pledge.recipient });
}

/** What `viewer` sees of a pledge: the whole record when it may, the public fields otherwise. */
function seenBy<T extends Omit<PledgeView, 'accepted'>>(viewer: Viewer, pledge: T): T {
  if (maySee(viewer, pledgeRecordFact(pledge))) return pledge;
  return { ...pledge, announcement: publicAnnouncement(pledge.announcement) };
}

function sameAnnouncement(recorded: Record<string, unknown>, repeated: PledgeAnnouncedV1): boolean {
  const { announcedAt: _recordedAt, ...before } = recorded;
  const { announcedAt: _repeatedAt, ...after } = repeated;
  return JSON.stringify(sortKeys(before)) === JSON.stringify(sortKeys(after));
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

/** A donor writes only its own pledges; admins write any. */
function checkDonorScope(role: Role, donor: string): void {
  if (role.kind === 'admin') return;
  if (role.kind === 'donor' && role.country === donor) return;
  throw new Forbidden(
    `A ${role.kind === 'donor' ? `donor:${role.country}` : role.kind} token cannot write pledges of donor ${donor}`,
  );
}

/** Announces, amends and cancels pledges: the rules of DESIGN.md §4 for pledges. */
@Injectable()
export class PledgeService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly pledges: PledgeRepository,
    private readonly events: EventFactory,
  ) {}

  /**
   * A new pledge in one statement (`UnitOfWork.insertOnce`); a pledge id that exists already
   * (a repeat, a concurrent announcement) goes the general way, comparing under the row's lock.
   */
  async announce(request: WriteRequest, input: AnnouncePledgeBody): Promise<Written<PledgeView>> {
    checkDonorScope(request.caller.role, input.donor);
    const announcement: PledgeAnnouncedV1 = {
      ...input,
      pledgeId: input.pledgeId ?? uuidv7(),
      announcedAt: input.announcedAt ?? new Date().toISOString(),
    };
    const created = toEntity(announcement);
    const inserted = await this.unitOfWork.insertOnce(
      request,
      this.pledges.insertStatement(created),
      [this.events.create('tracker.pledge.announced.v1', announcement)],
      view(created, 0),
    );
    if (inserted !== undefined) return inserted;
    return this.unitOfWork.write(request, async (tx) => {
      const entity = toEntity(announcement);
      if (await this.pledges.insert(tx, entity)) {
        tx.emit(this.events.create('tracker.pledge.announced.v1', announcement));
        return view(entity, 0);
      }
      return this.repeatedAnnouncement(tx, announcement);
    });
  }

  amend(
    request: WriteRequest,
    pledgeId: string,
    input: AmendPledgeBody,
  ): Promise<Written<PledgeView>> {
    return this.unitOfWork.write(request, async (tx) => {
      const pledge = await this.activePledge(tx, request.caller.role, pledgeId);
      const accepted = await this.pledges.accepted(tx, pledgeId);
      if (input.quantity !== undefined && input.quantity < accepted) {
        throw new RuleViolation(
          'amendment-below-accepted',
          `quantity ${input.quantity} is below the ${accepted} already accepted on receipt`,
          'quantity',
        );
      }
      tx.emit(this.events.create('tracker.pledge.amended.v1', { pledgeId, ...input }));
      await this.pledges.update(tx, pledgeId, {
        quantity: input.quantity,
        targetDate: input.targetDate,
      });
      return view(
        {
          ...pledge,
          quantity: input.quantity ?? pledge.quantity,
          targetDate: input.targetDate ?? pledge.targetDate,
        },
        accepted,
      );
    });
  }

  cancel(
    request: WriteRequest,
    pledgeId: string,
    input: CancelPledgeBody,
  ): Promise<Written<PledgeView>> {
    return this.unitOfWork.write(request, async (tx) => {
      const pledge = await this.activePledge(tx, request.caller.role, pledgeId);
      tx.emit(this.events.create('tracker.pledge.cancelled.v1', { pledgeId, ...input }));
      await this.pledges.update(tx, pledgeId, { status: 'cancelled' });
      return view({ ...pledge, status: 'cancelled' }, await this.pledges.accepted(tx, pledgeId));
    });
  }

  /** A pledge: public to every token, its record's private fields to its parties only. */
  async get(viewer: Viewer, pledgeId: string): Promise<PledgeView> {
    const record: PledgeRecord | undefined = await this.pledges.find(pledgeId);
    if (record === undefined) throw new NotFound('pledge', pledgeId);
    return seenBy(viewer, view(record.pledge, record.accepted));
  }

  /** Pledges by donor, item and status, each as {@link get} shows it (without `accepted`). */
  async list(
    viewer: Viewer,
    query: ListPledgesFilter,
  ): Promise<{ items: Omit<PledgeView, 'accepted'>[]; next?: string }> {
    const pledges = await this.pledges.list(query);
    const items = pledges.map((pledge) => {
      const { accepted: _accepted, ...rest } = view(pledge, 0);
      return seenBy(viewer, rest);
    });
    const next = pledges.length === query.limit ? pledges[pledges.length - 1].pledgeId : undefined;
    return { items, next };
  }

  private async repeatedAnnouncement(
    tx: Transaction,
    announcement: PledgeAnnouncedV1,
  ): Promise<PledgeView> {
    const existing = await this.pledges.lock(tx, announcement.pledgeId);
    if (existing === undefined)
      throw new Error(`pledge ${announcement.pledgeId} vanished while announced`);
    if (!sameAnnouncement(existing.announcement, announcement)) {
      throw new Conflict(
        'pledge-exists',
        `pledge ${announcement.pledgeId} was already announced with other content`,
        'pledgeId',
      );
    }
    return view(existing, await this.pledges.accepted(tx, announcement.pledgeId));
  }

  private async activePledge(tx: Transaction, role: Role, pledgeId: string): Promise<PledgeEntity> {
    const pledge = await this.pledges.lock(tx, pledgeId);
    if (pledge === undefined) throw new NotFound('pledge', pledgeId);
    checkDonorScope(role, pledge.donor);
    if (pledge.status === 'cancelled') {
      throw new Conflict('pledge-cancelled', `pledge ${pledgeId} is cancelled`);
    }
    return pledge;
  }
}

function toEntity(announcement: PledgeAnnouncedV1): PledgeEntity {
  const entity = new PledgeEntity();
  entity.pledgeId = announcement.pledgeId;
  entity.donor = announcement.donor;
  entity.recipient = announcement.recipient;
  entity.itemCode = announcement.itemCode;
  entity.quantity = announcement.quantity;
  entity.targetDate = announcement.targetDate ?? null;
  entity.status = 'active';
  entity.announcement = announcement;
  entity.announcedAt = new Date(announcement.announcedAt);
  entity.updatedAt = new Date();
  return entity;
}
